"""draft -> open -> review -> closed; a closed period cannot be changed through any path."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, Employee, Evaluation, Period, Rating, Skp, UnitResult
from app.services.appraisal import close, distribution, periods, ratings, skp
from app.services.errors import Conflict, Forbidden, InvalidInput
from tests.conftest import api_token, login
from tests.workflow.helpers import cast_of, hr, supervisor_actor


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def closed(app):
    """The open demo period taken through review to closed, through the services."""
    cast = cast_of(app)
    with app.app_context():
        period = periods.transition(db.session, hr(), cast.period, "review", reason="uji penutupan")
        assert period.state == "review"
        with pytest.raises(InvalidInput):
            periods.transition(db.session, hr(), cast.period, "closed")
        job = close.close_period(db.session, hr(), cast.period, reason="uji penutupan")
        assert job.state == "done"
        assert db.session.get(Period, cast.period).state == "closed"
    return cast


def test_only_hr_moves_periods(app):
    cast = cast_of(app)
    with app.app_context(), pytest.raises(Forbidden):
        periods.transition(db.session, supervisor_actor(cast), cast.period, "review")


def test_opening_pins_the_latest_published_ruleset(app):
    with app.app_context():
        period = Period(
            name="Uji Buka", kind="bulanan", start_date=date(2027, 1, 1), end_date=date(2027, 1, 31)
        )
        db.session.add(period)
        db.session.commit()
        opened = periods.transition(db.session, hr(), period.id, "open")
        assert opened.ruleset_version is not None
        assert opened.ruleset_version.status == "published"


def test_close_evaluates_everyone(app, closed):
    with app.app_context():
        evaluated = db.session.scalar(
            select(func.count())
            .select_from(Evaluation)
            .where(Evaluation.period_id == closed.period)
        )
        active = db.session.scalar(
            select(func.count()).select_from(Employee).where(Employee.is_active.is_(True))
        )
    assert evaluated == active


def test_closed_period_refuses_service_writes(app, closed):
    with app.app_context():
        entry = ratings.Entry(key="indicator:AKUNTABEL", value="sesuai_ekspektasi")
        with pytest.raises(Conflict):
            ratings.save_ratings(
                db.session, supervisor_actor(closed), closed.period, closed.subordinate, [entry]
            )
        own = db.session.scalar(
            select(Skp).where(Skp.period_id == closed.period, Skp.employee_id == closed.supervisor)
        )
        with pytest.raises(Conflict):
            skp.add_rhk(
                db.session,
                supervisor_actor(closed),
                own.id,
                skp.RhkDraft(text="x", iki="y", target="z"),
            )
        with pytest.raises(Conflict):
            distribution.set_unit_result(db.session, hr(), closed.period, 1, "baik")
        with pytest.raises(Conflict):
            close.close_period(db.session, hr(), closed.period)


def test_closed_period_refuses_api_and_panel_writes(app, closed):
    headers = api_token(app, "penilai")
    client = app.test_client()
    before = _ratings(app, closed.period)
    response = client.post(
        "/api/v1/rating/",
        headers=headers,
        json={
            "period": closed.period,
            "ratee": closed.subordinate,
            "indicator": "AKUNTABEL",
            "value": "di_atas_ekspektasi",
        },
    )
    assert response.status_code == 409
    assert "ditutup" in response.json["message"]
    panel = app.test_client()
    login(panel, "penilai")
    page = panel.post(
        f"/penilaian/{closed.period}/{closed.subordinate}",
        data={"value-indicator:AKUNTABEL": "di_atas_ekspektasi", "action": "draft"},
    )
    assert page.status_code == 409
    assert "ditutup" in page.get_data(as_text=True)
    hr_panel = app.test_client()
    login(hr_panel, "kepegawaian")
    edit = hr_panel.post(
        f"/periode/{closed.period}/ubah",
        data={
            "name": "Diubah",
            "kind": "triwulanan",
            "start_date": "01/10/2026",
            "end_date": "31/12/2026",
        },
    )
    assert edit.status_code == 400
    assert "sudah ditutup" in edit.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Period, closed.period).name != "Diubah"
    assert _ratings(app, closed.period) == before


def test_closed_period_refuses_cli_close_again(app, closed):
    result = app.test_cli_runner().invoke(args=["kinerja", "period", "close", str(closed.period)])
    assert result.exit_code != 0
    assert "sudah ditutup" in result.output


def test_reopen_needs_a_reason_and_is_audited(app, closed):
    with app.app_context():
        with pytest.raises(InvalidInput):
            periods.transition(db.session, hr(), closed.period, "review")
        period = periods.transition(db.session, hr(), closed.period, "review", reason="koreksi")
        assert period.state == "review"
        actions = list(
            db.session.scalars(
                select(AuditLog.action).where(
                    AuditLog.object_type == "period", AuditLog.object_id == closed.period
                )
            )
        )
        assert "periode.tutup" in actions and "periode.buka_kembali" in actions
        job = close.close_period(db.session, hr(), closed.period, reason="ditutup lagi")
        assert job.state == "done"


def _period_in_review(name: str, month: int) -> Period:
    """A new monthly period of 2027, opened and moved to review by Kepegawaian."""
    period = Period(
        name=name, kind="bulanan", start_date=date(2027, month, 1), end_date=date(2027, month, 28)
    )
    db.session.add(period)
    db.session.commit()
    periods.transition(db.session, hr(), period.id, "open")
    periods.transition(db.session, hr(), period.id, "review", reason="belum ada penilaian")
    return period


def test_distribution_findings_need_a_reason_to_close(app):
    cast = cast_of(app)
    with app.app_context():
        period = _period_in_review("Uji Distribusi", 3)
        unit_id = db.session.scalars(select(UnitResult.unit_id)).first()
        distribution.set_unit_result(db.session, hr(), period.id, unit_id, "istimewa")
        findings = distribution.period_findings(db.session, period)
        assert findings and findings[0].predicate == "istimewa"
        if any(f.findings for f in findings):
            with pytest.raises(InvalidInput, match="wajib disertai alasan"):
                close.check_can_close(db.session, hr(), period.id, None)
        assert close.check_can_close(db.session, hr(), period.id, "alasan tercatat")
    assert cast.period != period.id


def _ratings(app, period_id):
    with app.app_context():
        return sorted(
            (r.id, r.value_level, str(r.value_number), r.state)
            for r in db.session.scalars(select(Rating).where(Rating.period_id == period_id))
        )


def test_unit_leader_sets_the_predikat_of_the_units_they_lead(app):
    """In review, a unit head sets the organisation predikat of their unit or a sub-unit from
    the period page; other units, and employees who lead nothing, are refused."""
    cast = cast_of(app)
    with app.app_context():
        leader = db.session.get(Employee, cast.supervisor)
        leader.is_unit_head = True
        own_unit = leader.unit_id
        elsewhere = db.session.get(Employee, cast.other_unit_employee).unit_id
        period_id = _period_in_review("Uji Pimpinan Unit", 5).id
    client = app.test_client()
    login(client, "penilai")
    page = client.get(f"/periode/{period_id}").get_data(as_text=True)
    assert f'<option value="{own_unit}">' in page and f'<option value="{elsewhere}">' not in page
    url = f"/periode/{period_id}/predikat-unit"
    assert client.post(url, data={"unit_id": own_unit, "predicate": "baik"}).status_code == 302
    refused = client.post(
        url, data={"unit_id": elsewhere, "predicate": "istimewa"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "ditetapkan oleh Kepegawaian atau pimpinan unitnya" in refused
    staff = app.test_client()
    login(staff, "pegawai")
    staff.post(url, data={"unit_id": own_unit, "predicate": "kurang"})
    with app.app_context():
        stored = dict(
            db.session.execute(
                select(UnitResult.unit_id, UnitResult.predicate).where(
                    UnitResult.period_id == period_id
                )
            ).all()
        )
        assert stored == {own_unit: "baik"}
        assert db.session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "unit.predikat", AuditLog.object_id == own_unit)
        )
        with pytest.raises(Forbidden):
            distribution.set_unit_result(
                db.session, supervisor_actor(cast), period_id, elsewhere, "baik"
            )
        db.session.get(Employee, cast.supervisor).is_unit_head = False
        db.session.commit()
