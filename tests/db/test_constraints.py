"""Integrity lives in the database too: what the services check, the schema enforces."""

from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Employee, Indicator, Period, Position, Rating, Unit


@pytest.fixture()
def org(empty_app):
    with empty_app.app_context():
        unit = Unit(code="BKA", name="Badan Kepegawaian Aceh")
        position = Position(name="Analis", kind="fungsional")
        boss = Employee(
            nip="198012302010012005",
            name="Cut Meutia",
            status="PNS",
            golongan="IV/a",
            position=position,
            unit=unit,
        )
        staff = Employee(
            nip="198609262015051001",
            name="Teuku Umar",
            status="PNS",
            golongan="III/b",
            position=position,
            unit=unit,
            supervisor=boss,
        )
        period = Period(
            name="Triwulan I",
            kind="triwulanan",
            start_date=date(2026, 1, 1),
            end_date=date(2026, 3, 31),
        )
        indicator = Indicator(
            code="AKUNTABEL", label="Akuntabel", aspect="perilaku_kerja", scale="ekspektasi"
        )
        db.session.add_all([unit, position, boss, staff, period, indicator])
        db.session.commit()
        yield {
            "unit": unit.id,
            "position": position.id,
            "boss": boss.id,
            "staff": staff.id,
            "period": period.id,
            "indicator": indicator.id,
        }
        db.session.rollback()


def _fails(obj) -> None:
    db.session.add(obj)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_nip_is_unique(empty_app, org):
    with empty_app.app_context():
        _fails(
            Employee(
                nip="198609262015051001",
                name="Duplikat",
                status="PNS",
                golongan="III/a",
                position_id=org["position"],
                unit_id=org["unit"],
            )
        )


@pytest.mark.parametrize(
    ("field", "value"), [("status", "Honorer"), ("golongan", "V/a"), ("nip", "123")]
)
def test_employee_enumerations_are_checked(empty_app, org, field, value):
    with empty_app.app_context():
        data = {
            "nip": "198012302010012009",
            "name": "X",
            "status": "PNS",
            "golongan": "III/a",
            "position_id": org["position"],
            "unit_id": org["unit"],
            field: value,
        }
        _fails(Employee(**data))


def test_position_kind_is_checked(empty_app, org):
    with empty_app.app_context():
        _fails(Position(name="Tenaga Ahli", kind="honorer"))


def test_period_end_not_before_start(empty_app, org):
    with empty_app.app_context():
        _fails(
            Period(
                name="Salah", kind="bulanan", start_date=date(2026, 2, 1), end_date=date(2026, 1, 1)
            )
        )


def test_one_rating_per_period_ratee_rater_indicator(empty_app, org):
    with empty_app.app_context():

        def rating():
            return Rating(
                period_id=org["period"],
                ratee_id=org["staff"],
                rater_id=org["boss"],
                rater_kind="supervisor",
                indicator_id=org["indicator"],
                value_level="sesuai_ekspektasi",
            )

        db.session.add(rating())
        db.session.commit()
        _fails(rating())


def test_rating_needs_exactly_one_value_and_one_item(empty_app, org):
    with empty_app.app_context():
        _fails(
            Rating(
                period_id=org["period"],
                ratee_id=org["staff"],
                rater_id=org["boss"],
                rater_kind="supervisor",
                indicator_id=org["indicator"],
            )
        )
        _fails(
            Rating(
                period_id=org["period"],
                ratee_id=org["staff"],
                rater_id=org["boss"],
                rater_kind="supervisor",
                value_number=3,
            )
        )


def test_foreign_keys_are_enforced(empty_app, org):
    with empty_app.app_context():
        _fails(
            Employee(
                nip="198012302010012009",
                name="X",
                status="PNS",
                golongan="III/a",
                position_id=org["position"],
                unit_id=999_999,
            )
        )


def test_employee_cannot_be_own_supervisor_in_the_schema(empty_app, org):
    with empty_app.app_context():
        staff = db.session.get(Employee, org["staff"])
        staff.supervisor_id = staff.id
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
