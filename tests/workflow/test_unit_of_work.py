"""A use case is one transaction (app/services/unit_of_work.py): committed when it returns,
rolled back whole when it raises, with a concurrent writer's constraint turned into the use
case's own message."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Unit
from app.services.errors import Conflict, InvalidInput
from app.services.unit_of_work import unit_of_work


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@unit_of_work()
def _add_then_refuse(session: Session, code: str) -> None:
    session.add(Unit(code=code, name="Setengah jadi"))
    session.flush()
    raise InvalidInput("Ditolak setelah menulis.")


@unit_of_work(duplicate="Kode unit baru saja dipakai pengguna lain.")
def _add(session: Session, code: str) -> Unit:
    unit = Unit(code=code, name="Unit uji")
    session.add(unit)
    session.flush()
    return unit


def _count(code: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Unit).where(Unit.code == code))


def test_a_refusal_leaves_nothing_and_a_return_commits(app):
    with app.app_context():
        with pytest.raises(InvalidInput):
            _add_then_refuse(db.session, "UOW-1")
        assert not db.session.new and not db.session.dirty
        assert _count("UOW-1") == 0
        _add(db.session, "UOW-2")
        db.session.rollback()  # a commit happened: nothing is left to undo
        assert _count("UOW-2") == 1


def test_a_duplicate_from_a_concurrent_writer_reads_as_the_use_cases_message(app):
    with app.app_context():
        _add(db.session, "UOW-3")
        with pytest.raises(Conflict, match="baru saja dipakai"):
            _add(db.session, "UOW-3")
        assert _count("UOW-3") == 1
