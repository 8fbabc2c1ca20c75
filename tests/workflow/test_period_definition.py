"""Defining a period: end after start, a length that fits the kind, no overlap within a kind —
checked by the service in Indonesian before the database sees anything, for the panel, the API
and the CLI alike; no database message ever reaches the screen."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, Period
from app.services.appraisal import periods
from app.services.appraisal.periods import InvalidPeriod, PeriodDraft
from app.services.errors import Conflict, Forbidden
from config.roles import PEGAWAI
from tests.conftest import api_token, signed_in
from tests.workflow.helpers import actor_of, hr


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _problems(app, name, kind, start, end, period_id=None) -> dict[str, str]:
    with app.app_context():
        return periods.period_problems(db.session, PeriodDraft(name, kind, start, end), period_id)


def test_end_must_follow_start(app):
    problems = _problems(app, "Uji Mundur", "bulanan", date(2028, 3, 1), date(2028, 2, 1))
    assert problems == {"end_date": "Tanggal selesai harus sesudah tanggal mulai."}


@pytest.mark.parametrize(
    ("kind", "start", "good_end", "bad_end"),
    [
        ("bulanan", date(2028, 2, 1), date(2028, 2, 29), date(2028, 3, 31)),
        ("triwulanan", date(2028, 4, 1), date(2028, 6, 30), date(2028, 5, 31)),
        ("semesteran", date(2028, 7, 1), date(2028, 12, 31), date(2028, 9, 30)),
        ("tahunan", date(2029, 1, 1), date(2029, 12, 31), date(2029, 6, 30)),
    ],
)
def test_length_fits_the_kind(app, kind, start, good_end, bad_end):
    assert _problems(app, f"Uji {kind}", kind, start, good_end) == {}
    wrong = _problems(app, f"Uji {kind}", kind, start, bad_end)
    assert list(wrong) == ["end_date"]
    assert good_end.strftime("%d/%m/%Y") in wrong["end_date"]  # says what the end should be


def test_a_period_starts_on_the_first_of_a_month(app):
    problems = _problems(app, "Uji Tengah Bulan", "bulanan", date(2028, 2, 15), date(2028, 3, 14))
    assert "tanggal 1" in problems["start_date"]


def test_no_overlap_with_a_period_of_the_same_kind(app):
    # The demo's "Triwulan IV 2026" runs 01/10/2026-31/12/2026.
    clash = _problems(app, "Uji Tumpang Tindih", "triwulanan", date(2026, 11, 1), date(2027, 1, 31))
    assert "Tumpang tindih" in clash["start_date"] and "Triwulan IV 2026" in clash["start_date"]
    # Another kind may run at the same time: a month inside the quarter is not an overlap.
    assert _problems(app, "Uji Bulan", "bulanan", date(2026, 11, 1), date(2026, 11, 30)) == {}


def test_a_period_does_not_overlap_itself_when_edited(app):
    with app.app_context():
        own = db.session.scalars(select(Period).where(Period.name == "Triwulan IV 2026")).one()
        assert (
            periods.period_problems(
                db.session,
                PeriodDraft(
                    "Triwulan IV 2026 (koreksi)", "triwulanan", own.start_date, own.end_date
                ),
                own.id,
            )
            == {}
        )


def test_names_are_unique_and_required(app):
    assert (
        "sudah dipakai"
        in _problems(app, "triwulan iv 2026", "bulanan", date(2030, 1, 1), date(2030, 1, 31))[
            "name"
        ]
    )
    assert _problems(app, "  ", "bulanan", date(2030, 1, 1), date(2030, 1, 31)) == {
        "name": "Nama periode wajib diisi."
    }


def test_every_broken_rule_is_reported_at_once(app):
    problems = _problems(app, "", "mingguan", None, None)
    assert set(problems) == {"name", "kind", "start_date", "end_date"}
    assert "dd/mm/yyyy" in problems["start_date"]


def test_create_and_update_are_audited_and_refuse_what_breaks_a_rule(app):
    with app.app_context():
        period = periods.create_period(
            db.session,
            hr(),
            PeriodDraft("Uji Januari 2031", "bulanan", date(2031, 1, 1), date(2031, 1, 31)),
        )
        assert period.state == "draft"
        with pytest.raises(InvalidPeriod) as refused:
            periods.update_period(
                db.session,
                hr(),
                period.id,
                PeriodDraft("Uji Januari 2031", "bulanan", date(2031, 1, 1), date(2031, 2, 28)),
            )
        assert refused.value.as_dict() == {
            "message": {
                "end_date": [
                    "Periode bulanan berlangsung 1 bulan: yang dimulai 01/01/2031 "
                    "berakhir 31/01/2031."
                ]
            }
        }
        periods.update_period(
            db.session,
            hr(),
            period.id,
            PeriodDraft("Uji Februari 2031", "bulanan", date(2031, 2, 1), date(2031, 2, 28)),
        )
        actions = set(
            db.session.scalars(
                select(AuditLog.action).where(
                    AuditLog.object_type == "period", AuditLog.object_id == period.id
                )
            )
        )
        assert {"periode.buat", "periode.ubah"} <= actions
        periods.delete_period(db.session, hr(), period.id)
        assert db.session.get(Period, period.id) is None


def test_only_hr_defines_periods_and_open_periods_are_not_deleted(app):
    with app.app_context():
        draft = PeriodDraft("Uji Maret 2031", "bulanan", date(2031, 3, 1), date(2031, 3, 31))
        with pytest.raises(Forbidden):
            periods.create_period(db.session, actor_of(None, PEGAWAI), draft)
        open_id = db.session.scalar(select(Period.id).where(Period.state == "open"))
        with pytest.raises(Conflict, match="hanya periode Draf"):
            periods.delete_period(db.session, hr(), open_id)


def test_panel_form_shows_the_rules_beside_the_fields_and_never_sql(app):
    client = signed_in(app, "kepegawaian")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Period))
    page = client.post(
        "/periode/tambah",
        data={
            "name": "Triwulan IV 2026",
            "kind": "triwulanan",
            "start_date": "01/11/2026",
            "end_date": "31/01/2027",
        },
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "sudah dipakai periode lain" in html and "Tumpang tindih" in html
    assert 'value="01/11/2026"' in html  # what was typed stays in the form
    for sql in ("IntegrityError", "UNIQUE", "duplicate key", "INSERT INTO", "sqlalchemy"):
        assert sql not in html
    garbled = client.post(
        "/periode/tambah",
        data={
            "name": "Uji Tanggal",
            "kind": "bulanan",
            "start_date": "2031-04-01",
            "end_date": "31/04/2031",
        },
    ).get_data(as_text=True)
    assert garbled.count("format dd/mm/yyyy") >= 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Period)) == before
    created = client.post(
        "/periode/tambah",
        data={
            "name": "Uji April 2031",
            "kind": "bulanan",
            "start_date": "01/04/2031",
            "end_date": "30/04/2031",
        },
    )
    assert created.status_code == 302
    shown = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "01/04/2031 – 30/04/2031" in shown and "Draf" in shown


def test_form_uses_the_indonesian_date_picker(app):
    html = signed_in(app, "kepegawaian").get("/periode/tambah").get_data(as_text=True)
    assert 'class="form-control kinerja-tanggal"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert "bootstrap-datepicker.id.min.js" in html and "js/period-dates.js" in html
    assert "<script>" not in html.split("</nav>", 1)[-1]  # no inline script of ours


def test_api_creates_through_the_same_rules(app):
    headers = api_token(app, "kepegawaian")
    client = app.test_client()
    refused = client.post(
        "/api/v1/period/",
        headers=headers,
        json={
            "name": "Uji API",
            "kind": "triwulanan",
            "start_date": "2026-12-01",
            "end_date": "2027-02-28",
        },
    )
    assert refused.status_code == 400
    assert "Tumpang tindih" in refused.json["message"]["start_date"][0]
    created = client.post(
        "/api/v1/period/",
        headers=headers,
        json={
            "name": "Uji API",
            "kind": "triwulanan",
            "start_date": "01/01/2032",
            "end_date": "2032-03-31",
        },
    )
    assert created.status_code == 201 and created.json["state"] == "draft"
    changed = client.put(
        f"/api/v1/period/{created.json['id']}",
        headers=headers,
        json={
            "name": "Uji API (Triwulan I 2032)",
            "kind": "triwulanan",
            "start_date": "2032-01-01",
            "end_date": "2032-02-29",
            "lock_version": created.json["lock_version"],
        },
    )
    assert changed.status_code == 400
    assert "berakhir 31/03/2032" in changed.json["message"]["end_date"][0]
    changed = client.put(
        f"/api/v1/period/{created.json['id']}",
        headers=headers,
        json={
            "name": "Uji API (Triwulan I 2032)",
            "kind": "triwulanan",
            "start_date": "2032-01-01",
            "end_date": "2032-03-31",
            "lock_version": created.json["lock_version"],
        },
    )
    assert changed.status_code == 200
    stale = client.put(
        f"/api/v1/period/{created.json['id']}",
        headers=headers,
        json={
            "name": "Uji API lagi",
            "kind": "triwulanan",
            "start_date": "2032-01-01",
            "end_date": "2032-03-31",
            "lock_version": created.json["lock_version"],
        },
    )
    assert stale.status_code == 409
    forbidden = client.post(
        "/api/v1/period/",
        headers=api_token(app, "penilai"),
        json={
            "name": "Uji API 2",
            "kind": "bulanan",
            "start_date": "2033-01-01",
            "end_date": "2033-01-31",
        },
    )
    assert forbidden.status_code == 403


def test_cli_creates_through_the_same_rules(app):
    runner = app.test_cli_runner()
    bad = runner.invoke(
        args=[
            "kinerja",
            "period",
            "create",
            "Uji CLI",
            "--kind",
            "semesteran",
            "--start",
            "01/01/2034",
            "--end",
            "31/12/2034",
        ]
    )
    assert bad.exit_code != 0 and "berakhir 30/06/2034" in bad.output
    good = runner.invoke(
        args=[
            "kinerja",
            "period",
            "create",
            "Uji CLI",
            "--kind",
            "semesteran",
            "--start",
            "01/01/2034",
            "--end",
            "30/06/2034",
        ]
    )
    assert good.exit_code == 0, good.output
    assert "01/01/2034–30/06/2034" in good.output


def test_cli_review_before_everyone_is_complete_needs_a_reason(app):
    result = app.test_cli_runner().invoke(
        args=["kinerja", "period", "status", "Triwulan IV 2026", "review"]
    )
    assert result.exit_code != 0
    assert "pegawai lengkap dinilai" in result.output and "wajib disertai alasan" in result.output
