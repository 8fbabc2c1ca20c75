"""Concurrent rating writes on PostgreSQL: no lost update, the loser is told (409)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Employee, Rating
from app.services.appraisal import ratings
from app.services.errors import Conflict
from config.roles import PEGAWAI, PENILAI
from tests.workflow.helpers import actor_of, cast_of


@pytest.fixture(scope="module")
def app(isolated_demo_app, backend):
    if backend != "postgresql":
        pytest.skip("row-level concurrency is checked on PostgreSQL, the production database")
    return isolated_demo_app


def _run_threads(app, jobs) -> list[object]:
    outcomes: list[object] = [None] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(index, job):
        with app.app_context():
            barrier.wait()
            try:
                outcomes[index] = job()
            except Exception as exc:  # collected and asserted below
                outcomes[index] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_same_rating_same_version_from_eight_threads_one_wins(app):
    cast = cast_of(app)
    with app.app_context():
        supervisor = db.session.get(Employee, cast.other_unit_employee).supervisor_id
        rating = db.session.scalar(
            select(Rating).where(
                Rating.period_id == cast.period,
                Rating.ratee_id == cast.other_unit_employee,
                Rating.indicator.has(code="AKUNTABEL"),
            )
        )
        rating_id, version = rating.id, rating.lock_version
    actor = actor_of(supervisor, PENILAI, PEGAWAI)
    values = ["di_bawah_ekspektasi", "sesuai_ekspektasi", "di_atas_ekspektasi"]

    def write(value):
        entry = ratings.Entry(key="indicator:AKUNTABEL", value=value, lock_version=version)
        return lambda: ratings.save_ratings(
            db.session, actor, cast.period, cast.other_unit_employee, [entry]
        )

    outcomes = _run_threads(app, [write(values[i % 3]) for i in range(8)])
    winners = [o for o in outcomes if isinstance(o, ratings.SaveResult)]
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(winners) + len(losers) == 8, outcomes
    with app.app_context():
        stored = db.session.get(Rating, rating_id)
        assert stored.lock_version == version + len([w for w in winners if w.saved])
    assert len([w for w in winners if w.saved]) <= 1


def test_many_raters_many_ratees_in_parallel_lose_nothing(app):
    cast = cast_of(app)
    with app.app_context():
        pairs = db.session.execute(
            select(Employee.id, Employee.supervisor_id)
            .where(Employee.supervisor_id.is_not(None), Employee.id != cast.subordinate)
            .order_by(Employee.id)
            .limit(12)
        ).all()
    jobs = []
    for ratee, supervisor in pairs:
        actor = actor_of(supervisor, PENILAI, PEGAWAI)
        entry = ratings.Entry(key="indicator:KOLABORATIF", value="di_bawah_ekspektasi")
        jobs.append(
            lambda r=ratee, a=actor, e=entry: ratings.save_ratings(
                db.session, a, cast.period, r, [e]
            )
        )
    outcomes = _run_threads(app, jobs)
    assert all(isinstance(o, ratings.SaveResult) for o in outcomes), outcomes
    with app.app_context():
        stored = db.session.scalars(
            select(Rating.value_level).where(
                Rating.period_id == cast.period,
                Rating.ratee_id.in_([p[0] for p in pairs]),
                Rating.indicator.has(code="KOLABORATIF"),
            )
        )
        assert set(stored) == {"di_bawah_ekspektasi"}
