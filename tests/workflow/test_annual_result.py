"""The annual result: closing a `tahunan` period takes each employee's predikat from the year's
last periodic evaluation (an upheld appeal counts) and sums the year's angka kredit; without
that evaluation the result is not finished; a year without periodic periods is rated as usual."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Employee, Evaluation, Period, Position, RuleSetVersion
from app.models.base import utcnow
from app.services.appraisal import annual, close
from app.services.appraisal.evaluations import results_for
from tests.conftest import signed_in
from tests.workflow.helpers import hr


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _version(session) -> RuleSetVersion:
    return session.scalars(
        select(RuleSetVersion).where(RuleSetVersion.status == "published")
    ).first()


def _period(session, name, kind, start, end, state) -> Period:
    period = Period(
        name=name,
        kind=kind,
        start_date=start,
        end_date=end,
        state=state,
        ruleset_version=_version(session),
    )
    if state == "closed":
        period.closed_at = utcnow()
    session.add(period)
    session.flush()
    return period


def _result(session, period, employee_id, predicate, angka_kredit, override=None) -> None:
    consequences = {
        "angka_kredit_percent": {"sangat_baik": 150, "baik": 100}[predicate],
        "angka_kredit": angka_kredit,
    }
    session.add(
        Evaluation(
            period_id=period.id,
            employee_id=employee_id,
            ruleset_version_id=_version(session).id,
            status="lengkap",
            predicate=predicate,
            result={
                "predicate": predicate,
                "consequences": consequences,
                "aspects": {"hasil_kerja": {"level": "sesuai_ekspektasi"}},
            },
            override_predicate=override,
            override_reason="Keberatan dikabulkan: uji" if override else None,
        )
    )


@pytest.fixture(scope="module")
def year(app):
    """2025: Semester I and II closed, the annual period in review; four employees."""
    with app.app_context():
        s = db.session
        people = list(
            s.scalars(
                select(Employee.id)
                .join(Position)
                .where(Position.kind == "fungsional")
                .order_by(Employee.id)
                .limit(4)
            )
        )
        first = _period(
            s, "Semester I 2025", "semesteran", date(2025, 1, 1), date(2025, 6, 30), "closed"
        )
        second = _period(
            s, "Semester II 2025", "semesteran", date(2025, 7, 1), date(2025, 12, 31), "closed"
        )
        whole = _period(s, "Tahun 2025", "tahunan", date(2025, 1, 1), date(2025, 12, 31), "review")
        a, b, c, d = people
        # ahli pertama (12,5 a year): Baik for six months, Sangat Baik for six months
        _result(s, first, a, "baik", 6.25)
        _result(s, second, a, "sangat_baik", 9.38)
        _result(s, first, b, "sangat_baik", 9.38)  # nothing at the end of the year
        _result(s, first, c, "baik", 6.25)
        _result(s, second, c, "baik", 6.25, override="sangat_baik")  # upheld appeal
        s.commit()
        return {"a": a, "b": b, "c": c, "d": d, "whole": whole.id, "second": second.id}


def _annual(app, period_id, employee_id) -> Evaluation:
    with app.app_context():
        db.session.expire_all()
        return db.session.scalar(
            select(Evaluation).where(
                Evaluation.period_id == period_id, Evaluation.employee_id == employee_id
            )
        )


def test_closing_the_year_derives_each_result_from_the_periodic_ones(app, year):
    with app.app_context():
        whole = db.session.get(Period, year["whole"])
        assert annual.is_derived(db.session, whole)
        assert [p.name for p in annual.periodic_periods(db.session, whole)] == [
            "Semester I 2025",
            "Semester II 2025",
        ]
        close.close_period(db.session, hr(), year["whole"], reason="Penetapan tahunan")
        assert db.session.get(Period, year["whole"]).state == "closed"

    a = _annual(app, year["whole"], year["a"])
    assert (a.status, a.predicate) == ("lengkap", "sangat_baik")
    assert a.result["consequences"]["angka_kredit"] == 15.63
    assert "angka_kredit_percent" not in a.result["consequences"]  # a sum, not a percentage
    assert a.result["aspects"] == {"hasil_kerja": {"level": "sesuai_ekspektasi"}}
    assert [p["period"] for p in a.result["periodic"]] == ["Semester I 2025", "Semester II 2025"]
    assert "Semester II 2025" in a.result["explanation"][0]["text"]

    b = _annual(app, year["whole"], year["b"])
    assert (b.status, b.predicate) == ("belum_lengkap", None)
    assert "akhir tahun" in b.result["message"]
    assert b.result["consequences"]["angka_kredit"] == 9.38  # what was earned still counts

    c = _annual(app, year["whole"], year["c"])
    assert (c.status, c.predicate) == ("lengkap", "sangat_baik")  # the override counts
    assert c.result["consequences"]["angka_kredit"] == 12.5

    d = _annual(app, year["whole"], year["d"])
    assert (d.status, d.predicate) == ("belum_lengkap", None)
    assert d.result["message"] == "Belum ada hasil evaluasi periodik tahun ini."
    assert d.result["consequences"]["angka_kredit"] is None


def test_the_employee_reads_the_annual_result_and_its_periods(app, year):
    with app.app_context():
        employee = db.session.get(Employee, year["a"])
        username = "tahunan-uji"
        from app.cli.demo import DEMO_PASSWORD
        from app.services.people import accounts
        from config.roles import PEGAWAI

        roles = accounts.ensure_roles(db.session)
        user, _ = accounts.ensure_user(
            db.session,
            username=username,
            password=DEMO_PASSWORD,
            first_name="Uji",
            last_name="Tahunan",
            email="tahunan@uji.kinerja.local",
            roles=[roles[PEGAWAI]],
        )
        employee.user = user
        db.session.commit()
    client = signed_in(app, username)
    page = client.get(f"/kinerja-saya/?periode={year['whole']}").text
    assert 'id="hasil-tahunan"' in page
    assert "Semester II 2025" in page and "15,63" in page
    document = client.get(f"/laporan/evaluasi/{year['a']}/{year['whole']}.pdf")
    assert document.status_code == 200 and document.data.startswith(b"%PDF")


def test_a_year_without_periodic_periods_is_rated_by_the_engine(app):
    with app.app_context():
        lone = _period(
            db.session, "Tahun 2024", "tahunan", date(2024, 1, 1), date(2024, 12, 31), "review"
        )
        db.session.commit()
        assert not annual.is_derived(db.session, lone)
        ids = list(db.session.scalars(select(Employee.id).order_by(Employee.id).limit(3)))
        results = results_for(db.session, lone, ids, lone.ruleset_version)
    assert len(results) == 3 and all("periodic" not in r for r in results)


def _periodic(name, end, predicate, credit):
    return annual.PeriodicResult(
        period_id=hash(name) % 1000,
        period_name=name,
        end_date=end,
        predicate=predicate,
        angka_kredit=credit,
        aspects={},
    )


def test_an_unfinished_year_end_result_is_not_replaced_by_an_earlier_one():
    year = Period(
        name="Tahun 2024", kind="tahunan", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31)
    )
    result = annual.annual_result(
        year,
        "198609262015051001",
        [
            _periodic("Januari–Februari 2024", date(2024, 2, 29), "baik", 2.08),
            _periodic("Maret–Desember 2024", date(2024, 12, 31), None, None),  # tidak_valid
        ],
    )
    assert (result["status"], result["predicate"]) == ("belum_lengkap", None)
    assert "31/12/2024" in result["message"]
    assert result["consequences"]["angka_kredit"] == 2.08


def test_the_year_takes_the_last_predikat_and_sums_every_periods_angka_kredit():
    year = Period(
        name="Tahun 2024", kind="tahunan", start_date=date(2024, 1, 1), end_date=date(2024, 12, 31)
    )
    result = annual.annual_result(
        year,
        "198609262015051001",
        [
            _periodic("Januari–Oktober 2024", date(2024, 10, 31), "sangat_baik", 18.75),
            _periodic("November–Desember 2024", date(2024, 12, 31), "baik", 2.08),
        ],
    )
    assert (result["status"], result["predicate"]) == ("lengkap", "baik")
    assert result["consequences"]["angka_kredit"] == 20.83
    assert "18,75 + 2,08 = 20,83" in result["explanation"][1]["text"]
