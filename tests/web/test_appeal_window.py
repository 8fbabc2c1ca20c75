"""The appeal window counts calendar days in Jakarta: it ends at the end of the 14th day after the
day the period was closed, whatever the hour of closing, and the employee reads it as a date."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Appeal, Evaluation, Period
from app.services.appraisal import appeals
from app.services.errors import Conflict
from config.roles import PEGAWAI
from tests.conftest import signed_in
from tests.web.people import people
from tests.workflow.helpers import actor_of

WINDOW = 14


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return people(app)


def _close_at(app, period_id: int, utc: datetime) -> None:
    with app.app_context():
        db.session.get(Period, period_id).closed_at = utc
        db.session.commit()


def _evaluations(app, period_id: int, count: int) -> list[tuple[int, int]]:
    """(evaluation id, employee id) of employees without an appeal yet, in id order."""
    with app.app_context():
        appealed = select(Appeal.evaluation_id)
        rows = db.session.execute(
            select(Evaluation.id, Evaluation.employee_id)
            .where(Evaluation.period_id == period_id, Evaluation.id.not_in(appealed))
            .order_by(Evaluation.id)
            .limit(count)
        ).all()
    return [tuple(row) for row in rows]


def _file(app, evaluation_id: int, employee_id: int, now_utc: datetime) -> Appeal:
    with app.app_context():
        appeal = appeals.file_appeal(
            db.session,
            actor_of(employee_id, PEGAWAI),
            evaluation_id,
            "Realisasi triwulan ini belum diperhitungkan.",
            None,
            WINDOW,
            now=now_utc,
        )
        return appeal.id


def _refused(app, evaluation_id: int, employee_id: int, now_utc: datetime) -> str:
    with app.app_context():
        with pytest.raises(Conflict) as refusal:
            appeals.file_appeal(
                db.session,
                actor_of(employee_id, PEGAWAI),
                evaluation_id,
                "Terlambat.",
                None,
                WINDOW,
                now=now_utc,
            )
        db.session.rollback()
        return refusal.value.message


def test_fourteenth_day_later_in_the_day_than_the_closing_is_accepted(app, cast):
    # closed at 16:00 WIB on 30 November (09:00 UTC)
    _close_at(app, cast.closed_period, datetime(2026, 11, 30, 9, 0))
    (first, first_owner), (second, second_owner) = _evaluations(app, cast.closed_period, 2)
    # 14 December at 23:30 WIB: 14 days and 7.5 hours after closing, still the 14th day
    assert _file(app, first, first_owner, datetime(2026, 12, 14, 16, 30))
    # 15 December at 00:00 WIB: the 15th day
    message = _refused(app, second, second_owner, datetime(2026, 12, 14, 17, 0))
    assert "Batas waktu keberatan (14 hari" in message
    with app.app_context():
        period = db.session.get(Period, cast.closed_period)
        assert appeals.last_day(period, WINDOW).isoformat() == "2026-12-14"


def test_closing_just_after_midnight_wib_counts_from_the_jakarta_day(app, cast):
    # closed at 00:30 WIB on 1 December, which is still 30 November in UTC
    _close_at(app, cast.closed_period, datetime(2026, 11, 30, 17, 30))
    (first, first_owner), (second, second_owner) = _evaluations(app, cast.closed_period, 2)
    # 15 December at 20:00 WIB: the 14th day after 1 December (14×24 hours had already passed)
    assert _file(app, first, first_owner, datetime(2026, 12, 15, 13, 0))
    # 16 December at 00:01 WIB
    _refused(app, second, second_owner, datetime(2026, 12, 15, 17, 1))


def test_before_midnight_wib_the_previous_day_counts(app, cast):
    # closed at 23:59 WIB on 30 November (16:59 UTC): day 14 is 14 December
    _close_at(app, cast.closed_period, datetime(2026, 11, 30, 16, 59))
    (first, first_owner), (second, second_owner) = _evaluations(app, cast.closed_period, 2)
    assert _file(app, first, first_owner, datetime(2026, 12, 14, 16, 59, 59))
    _refused(app, second, second_owner, datetime(2026, 12, 14, 17, 0, 0))


def test_the_employee_sees_the_last_day_as_a_date(app, cast):
    _close_at(app, cast.closed_period, datetime(2026, 11, 30, 9, 0))
    with app.app_context():
        evaluation = db.session.scalar(
            select(Evaluation.id).where(
                Evaluation.period_id == cast.closed_period,
                Evaluation.employee_id == cast.pegawai,
            )
        )
    client = signed_in(app, "pegawai")
    page = client.get(f"/keberatan/?evaluasi={evaluation}").text
    assert "Keberatan dapat diajukan sampai 14 Desember 2026" in page
    board = client.get(f"/kinerja-saya/?periode={cast.closed_period}").text
    assert "sampai 14 Desember 2026" in board
