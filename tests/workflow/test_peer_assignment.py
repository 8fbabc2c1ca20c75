"""Who may choose peers for whom, drawing only new colleagues, withdrawing unanswered requests,
and a peer correcting an answer until the period goes to review."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Employee, PeerAssignment, Rating
from app.services.appraisal import peers, periods, ratings
from app.services.errors import Conflict, InvalidInput, NotFound
from config.roles import PEGAWAI
from tests.workflow.helpers import actor_of, cast_of, hr, supervisor_actor


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _unit_colleagues(cast, count: int) -> list[int]:
    ratee = db.session.get(Employee, cast.subordinate)
    return list(
        db.session.scalars(
            select(Employee.id)
            .where(
                Employee.unit_id == ratee.unit_id,
                Employee.id.not_in([ratee.id, ratee.supervisor_id]),
            )
            .order_by(Employee.id)
            .limit(count)
        )
    )


def test_supervisor_cannot_assign_peers_for_someone_elses_subordinate(app):
    cast = cast_of(app)
    with app.app_context():
        boss = supervisor_actor(cast)
        other = db.session.get(Employee, cast.other_unit_employee)
        assert other.supervisor_id != cast.supervisor
        same_unit_other = db.session.scalars(
            select(Employee).where(
                Employee.unit_id == db.session.get(Employee, cast.subordinate).unit_id,
                Employee.supervisor_id.is_not(None),
                Employee.supervisor_id != cast.supervisor,
            )
        ).first()
        for ratee in (other, same_unit_other):
            with pytest.raises(NotFound):
                peers.assign_peers(
                    db.session, boss, cast.period, ratee.id, _unit_colleagues(cast, 3)
                )
            with pytest.raises(NotFound):
                peers.draw_peers(db.session, boss, cast.period, ratee.id, 3, seed=1)
            with pytest.raises(NotFound):
                peers.peer_plan(db.session, boss, cast.period, ratee.id)
        assert not db.session.scalar(
            select(PeerAssignment.id).where(
                PeerAssignment.ratee_id.in_([other.id, same_unit_other.id])
            )
        )
        listed = {row.ratee_id for row in peers.ratees(db.session, boss, cast.period)}
        subordinates = set(
            db.session.scalars(select(Employee.id).where(Employee.supervisor_id == cast.supervisor))
        )
        assert listed == subordinates
        # Kepegawaian reaches any unit
        chosen = [e for e in _other_unit(other) if e != other.id][:3]
        added = peers.assign_peers(db.session, hr(), cast.period, other.id, chosen)
        assert len(added) == 3
        unit_rows = peers.ratees(db.session, hr(), cast.period, other.unit_id)
        assert {r.ratee_id for r in unit_rows if r.assigned == 3} == {other.id}


def _other_unit(ratee: Employee) -> list[int]:
    return list(
        db.session.scalars(
            select(Employee.id)
            .where(Employee.unit_id == ratee.unit_id, Employee.id != (ratee.supervisor_id or 0))
            .order_by(Employee.id)
        )
    )


def test_drawing_adds_only_colleagues_not_yet_asked(app):
    cast = cast_of(app)
    with app.app_context():
        boss = supervisor_actor(cast)
        first = _unit_colleagues(cast, 1)
        peers.assign_peers(db.session, boss, cast.period, cast.subordinate, first)
        plan = peers.peer_plan(db.session, boss, cast.period, cast.subordinate)
        remaining = len(plan.candidates)
        drawn = peers.draw_peers(db.session, boss, cast.period, cast.subordinate, remaining, seed=5)
        assert len(drawn) == remaining
        assert not {a.peer_id for a in drawn} & set(first)
        with pytest.raises(InvalidInput, match="calon rekan"):
            peers.draw_peers(db.session, boss, cast.period, cast.subordinate, 1, seed=5)


def test_an_unanswered_request_can_be_withdrawn_an_answered_one_cannot(app):
    cast = cast_of(app)
    with app.app_context():
        boss = supervisor_actor(cast)
        plan = peers.peer_plan(db.session, boss, cast.period, cast.subordinate)
        answering, withdrawn = plan.peers[0].peer_id, plan.peers[1].peer_id
        _answer(answering, cast, "sesuai_ekspektasi")
        peers.remove_peer(db.session, boss, cast.period, cast.subordinate, withdrawn)
        with pytest.raises(Conflict, match="sudah mengisi"):
            peers.remove_peer(db.session, boss, cast.period, cast.subordinate, answering)
        after = peers.peer_plan(db.session, boss, cast.period, cast.subordinate)
        assert withdrawn not in {p.peer_id for p in after.peers}
        assert {p.peer_id for p in after.peers if p.answered} == {answering}


def _answer(peer_id: int, cast, level: str) -> None:
    actor = actor_of(peer_id, PEGAWAI)
    form = ratings.rating_form(db.session, actor, cast.period, cast.subordinate)
    entries = [
        ratings.Entry(key=i.key, value=level if i.scale == "ekspektasi" else 3) for i in form.items
    ]
    ratings.save_ratings(db.session, actor, cast.period, cast.subordinate, entries, submit=True)


def test_cli_draws_peers_for_a_whole_unit(app):
    cast = cast_of(app)
    with app.app_context():
        other = db.session.get(Employee, cast.other_unit_employee)
        code, unit_id = other.unit.code, other.unit_id
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "kinerja",
            "peers",
            "draw",
            str(cast.period),
            "--unit",
            code,
            "--count",
            "2",
            "--seed",
            "9",
        ]
    )
    assert "rekan penilai diundi" in result.output
    with app.app_context():
        rows = peers.ratees(db.session, hr(), cast.period, unit_id)
        assert rows and all(row.assigned >= 2 for row in rows)
    unknown = runner.invoke(args=["kinerja", "peers", "draw", str(cast.period), "--unit", "XX"])
    assert unknown.exit_code == 1 and "tidak ditemukan" in unknown.output
    closed = runner.invoke(args=["kinerja", "peers", "draw", "Triwulan III 2026", "--unit", code])
    assert closed.exit_code == 1 and "ditutup" in closed.output


def test_a_peer_corrects_an_answer_until_the_period_goes_to_review(app):
    cast = cast_of(app)
    with app.app_context():
        plan = peers.peer_plan(db.session, supervisor_actor(cast), cast.period, cast.subordinate)
        peer_id = next(p.peer_id for p in plan.peers if p.answered)
        _answer(peer_id, cast, "di_atas_ekspektasi")
        levels = set(
            db.session.scalars(
                select(Rating.value_level).where(
                    Rating.rater_id == peer_id,
                    Rating.ratee_id == cast.subordinate,
                    Rating.value_level.is_not(None),
                )
            )
        )
        assert levels == {"di_atas_ekspektasi"}
        periods.transition(db.session, hr(), cast.period, "review", reason="uji koreksi")
        with pytest.raises(Conflict, match="Peninjauan"):
            _answer(peer_id, cast, "sesuai_ekspektasi")
        with pytest.raises(Conflict):
            peers.assign_peers(
                db.session, hr(), cast.period, cast.subordinate, _unit_colleagues(cast, 1)
            )
