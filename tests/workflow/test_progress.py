"""Progress and readiness of an open period: the figures against an independent count, the
panel's and the API's row-level rules, the reason rule before review and close, the summary."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Employee, Evaluation, PeerAssignment, Skp
from app.services.appraisal import close, peers, periods, ratings
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.reports import progress, summary
from config.roles import PEGAWAI, PERUMUS
from tests.conftest import api_token, signed_in
from tests.workflow.helpers import actor_of, cast_of, hr, supervisor_actor


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _independent_counts(period_id: int, supervisor_id: int | None = None) -> dict[str, int]:
    """The same figures, counted one employee at a time (the oracle)."""
    staff = list(
        db.session.scalars(
            select(Employee).where(
                Employee.is_active.is_(True), Employee.supervisor_id.is_not(None)
            )
        )
    )
    if supervisor_id is not None:
        staff = [e for e in staff if e.supervisor_id == supervisor_id]
    skp = dict(
        db.session.execute(
            select(Skp.employee_id, Skp.state).where(Skp.period_id == period_id)
        ).all()
    )
    status = dict(
        db.session.execute(
            select(Evaluation.employee_id, Evaluation.status).where(
                Evaluation.period_id == period_id
            )
        ).all()
    )
    return {
        "employees": len(staff),
        "skp_approved": sum(skp.get(e.id) == "approved" for e in staff),
        "skp_submitted": sum(skp.get(e.id) == "submitted" for e in staff),
        "skp_missing": sum(e.id not in skp for e in staff),
        "complete": sum(status.get(e.id) == "lengkap" for e in staff),
    }


def test_province_figures_match_an_independent_count(app):
    cast = cast_of(app)
    with app.app_context():
        report = progress.period_progress(db.session, hr(), cast.period)
        expected = _independent_counts(cast.period)
        got = report.total.as_dict()
        assert {key: got[key] for key in expected} == expected
        assert sum(unit.counts.employees for unit in report.units) == expected["employees"]
        assert report.scope == "provinsi"
        assert report.without_supervisor == db.session.scalar(
            select(func.count())
            .select_from(Employee)
            .where(
                Employee.is_active.is_(True),
                Employee.supervisor_id.is_(None),
                Employee.is_unit_head.is_(False),
            )
        )
        assert report.readiness.sentence == (
            f"{expected['complete']} dari {expected['employees']} pegawai lengkap dinilai"
        )
        late = progress.behind(db.session, hr(), cast.period, "belum_lengkap", page_size=None)
        assert late.total == expected["employees"] - expected["complete"] == len(late.rows)


def test_supervisor_sees_only_their_team(app):
    cast = cast_of(app)
    with app.app_context():
        report = progress.period_progress(db.session, supervisor_actor(cast), cast.period)
        assert report.scope == "tim"
        assert (
            report.total.employees == _independent_counts(cast.period, cast.supervisor)["employees"]
        )
        listed = progress.behind(
            db.session, supervisor_actor(cast), cast.period, "skp_belum_ada", page_size=None
        )
        subordinates = set(
            db.session.scalars(
                select(Employee.nip).where(Employee.supervisor_id == cast.supervisor)
            )
        )
        assert {row.nip for row in listed.rows} <= subordinates


@pytest.mark.parametrize("roles", [(PEGAWAI,), (PERUMUS,)])
def test_others_may_not_see_progress(app, roles):
    cast = cast_of(app)
    with app.app_context(), pytest.raises(Forbidden):
        progress.period_progress(db.session, actor_of(cast.subordinate, *roles), cast.period)


def test_answered_peer_requests_are_counted(app):
    cast = cast_of(app)
    with app.app_context():
        ratee = db.session.get(Employee, cast.subordinate)
        colleagues = list(
            db.session.scalars(
                select(Employee.id)
                .where(
                    Employee.unit_id == ratee.unit_id,
                    Employee.id.notin_([ratee.id, ratee.supervisor_id]),
                )
                .order_by(Employee.id)
                .limit(3)
            )
        )
        peers.assign_peers(db.session, supervisor_actor(cast), cast.period, ratee.id, colleagues)
        before = progress.period_progress(db.session, hr(), cast.period).total
        assert (before.peers_assigned, before.peers_answered) == (3, 0)
        peer = actor_of(colleagues[0], PEGAWAI)
        form = ratings.rating_form(db.session, peer, cast.period, ratee.id)
        entries = [
            ratings.Entry(key=i.key, value="sesuai_ekspektasi" if i.scale == "ekspektasi" else 4)
            for i in form.items
        ]
        ratings.save_ratings(db.session, peer, cast.period, ratee.id, entries, submit=True)
        after = progress.period_progress(db.session, hr(), cast.period).total
        assert (after.peers_assigned, after.peers_answered) == (3, 1)
        waiting = progress.behind(db.session, hr(), cast.period, "rekan_belum")
        assert [row.nip for row in waiting.rows] == [ratee.nip]
        answered = db.session.scalar(
            select(func.count(PeerAssignment.answered_at)).where(
                PeerAssignment.period_id == cast.period
            )
        )
        assert answered == 1


def test_unknown_list_kind_is_bad_input(app):
    cast = cast_of(app)
    with app.app_context(), pytest.raises(InvalidInput):
        progress.behind(db.session, hr(), cast.period, "semua")


def test_rest_progress_has_the_panels_row_level_rules(app):
    cast = cast_of(app)
    client = app.test_client()
    province = client.get(f"/api/v1/progress/{cast.period}", headers=api_token(app, "kepegawaian"))
    assert province.status_code == 200
    assert province.json["scope"] == "provinsi"
    assert province.json["readiness"]["text"].endswith("pegawai lengkap dinilai")
    team = client.get(f"/api/v1/progress/{cast.period}", headers=api_token(app, "penilai"))
    assert team.status_code == 200 and team.json["scope"] == "tim"
    with app.app_context():
        subordinates = db.session.scalar(
            select(func.count())
            .select_from(Employee)
            .where(Employee.supervisor_id == cast.supervisor, Employee.is_active.is_(True))
        )
    assert team.json["total"]["employees"] == subordinates
    assert team.json["total"]["employees"] < province.json["total"]["employees"]
    names = {
        row["supervisor"]
        for row in client.get(
            f"/api/v1/progress/{cast.period}/behind?kind=skp_belum_ada",
            headers=api_token(app, "penilai"),
        ).json["result"]
    }
    assert len(names) <= 1  # only the penilai's own subordinates
    for login in ("pegawai", "perumus"):
        refused = client.get(f"/api/v1/progress/{cast.period}", headers=api_token(app, login))
        assert refused.status_code == 403
    assert client.get(f"/api/v1/progress/{cast.period}").status_code == 401
    assert (
        client.get("/api/v1/progress/99999", headers=api_token(app, "kepegawaian")).status_code
        == 404
    )
    bad = client.get(
        f"/api/v1/progress/{cast.period}/behind?kind=semua", headers=api_token(app, "kepegawaian")
    )
    assert bad.status_code == 400


def test_panel_progress_drill_down_and_excel(app):
    cast = cast_of(app)
    client = signed_in(app, "kepegawaian")
    page = client.get(f"/periode/{cast.period}/progres").get_data(as_text=True)
    assert "pegawai lengkap dinilai" in page and "Per SKPA" in page
    listing = client.get(f"/periode/{cast.period}/progres/daftar?jenis=belum_lengkap")
    assert listing.status_code == 200
    download = client.get(f"/periode/{cast.period}/progres.xlsx")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.data), read_only=True)
    assert book.sheetnames == ["Kemajuan per SKPA", "Belum lengkap"]
    rows = list(book["Kemajuan per SKPA"].iter_rows(values_only=True))
    assert "pegawai lengkap dinilai" in rows[0][0] and rows[-1][1] == "Jumlah"
    assert signed_in(app, "pegawai").get(f"/periode/{cast.period}/progres").status_code == 403
    team = signed_in(app, "penilai").get(f"/periode/{cast.period}/progres")
    assert team.status_code == 200 and "tim saya" in team.get_data(as_text=True)


def test_review_and_close_need_a_reason_until_everyone_is_complete(app):
    """The confirmation shows the readiness first; the services refuse without a reason."""
    cast = cast_of(app)
    with app.app_context():
        ready = progress.readiness(db.session, cast.period)
        assert not ready.is_complete  # the demo leaves a few employees unrated
    client = signed_in(app, "kepegawaian")
    confirm = client.get(f"/periode/{cast.period}/konfirmasi/review").get_data(as_text=True)
    assert f"{ready.complete} dari {ready.total} pegawai lengkap dinilai" in confirm
    assert "required" in confirm
    refused = client.post(f"/periode/{cast.period}/status", data={"target": "review"})
    assert f"/periode/{cast.period}/konfirmasi/review" in refused.headers["Location"]
    with app.app_context():
        with pytest.raises(InvalidInput, match="wajib disertai alasan") as error:
            periods.transition(db.session, hr(), cast.period, "review")
        assert error.value.field == "reason"
        periods.transition(db.session, hr(), cast.period, "review", reason="batas waktu")
        with pytest.raises(InvalidInput, match=f"{ready.complete} dari {ready.total}"):
            close.check_can_close(db.session, hr(), cast.period, None)
        with pytest.raises(Conflict, match="setelah periode"):
            summary.period_summary(db.session, hr(), cast.period)
        job = close.close_period(db.session, hr(), cast.period, reason="batas waktu")
        assert job.state == "done"
        report = summary.period_summary(db.session, hr(), cast.period)
        active = db.session.scalar(
            select(func.count()).select_from(Employee).where(Employee.is_active.is_(True))
        )
        assert report.evaluated == active  # closing evaluates everyone, rated or not
        assert sum(report.counts.values()) + report.without_predicate == active
        with pytest.raises(Forbidden):
            summary.period_summary(db.session, supervisor_actor(cast), cast.period)
    page = client.get(f"/periode/{cast.period}/ringkasan").get_data(as_text=True)
    assert "Distribusi predikat seluruh provinsi" in page and "<svg" in page
    assert "SKPA tanpa predikat organisasi" in page


def test_a_complete_period_needs_no_reason(app):
    """With nobody left to rate (here: no active employees at all) review needs no reason."""
    with app.app_context():
        period = periods.create_period(
            db.session,
            hr(),
            periods.PeriodDraft("Uji Lengkap", "bulanan", date(2035, 1, 1), date(2035, 1, 31)),
        )
        periods.transition(db.session, hr(), period.id, "open")
        db.session.execute(update(Employee).values(is_active=False))
        try:
            assert progress.readiness(db.session, period.id).is_complete
            assert periods.transition(db.session, hr(), period.id, "review").state == "review"
        finally:
            db.session.rollback()
            db.session.execute(update(Employee).values(is_active=True))
            db.session.commit()
