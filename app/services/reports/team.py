"""'Tim saya': what a rater has to do in the open periods, and how far it is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import PeriodState, RaterKind, RatingState
from app.models import Employee, Evaluation, PeerAssignment, Period, Rating, Skp
from app.services.actor import Actor
from app.services.public import confidentiality


@dataclass
class TeamRow:
    period_id: int
    period_name: str
    ratee_id: int
    ratee_name: str
    ratee_nip: str
    relation: str  # supervisor, self, peer
    skp_state: str | None
    rated: int
    submitted: int
    predicate: str | None
    skp_id: int | None = None  # the SKP page: the supervisor approves from there


def my_team(session: Session, actor: Actor, period_id: int | None = None) -> list[TeamRow]:
    """Subordinates, oneself and assigned peers, per open period (or in the one period the
    page's selector chose)."""
    me = actor.employee_id
    if me is None:
        return []
    chosen = Period.id == period_id if period_id is not None else Period.state == PeriodState.OPEN
    open_periods = list(session.scalars(select(Period).where(chosen)))
    rows: list[TeamRow] = []
    for period in open_periods:
        targets: list[tuple[Employee, str]] = [
            (e, RaterKind.SUPERVISOR)
            for e in session.scalars(
                select(Employee)
                .where(Employee.supervisor_id == me, Employee.is_active.is_(True))
                .order_by(Employee.name)
            )
        ]
        myself = session.get(Employee, me)
        if myself is None:  # the signed-in actor's own record, read in this request
            raise LookupError(f"Employee {me} does not exist.")
        targets.append((myself, RaterKind.SELF))
        targets += [
            (a.ratee, RaterKind.PEER)
            for a in session.scalars(
                select(PeerAssignment).where(
                    PeerAssignment.period_id == period.id, PeerAssignment.peer_id == me
                )
            )
        ]
        ids = [e.id for e, _ in targets]
        counts = {
            (ratee, state): n
            for ratee, state, n in session.execute(
                select(Rating.ratee_id, Rating.state, func.count())
                .where(
                    Rating.period_id == period.id, Rating.rater_id == me, Rating.ratee_id.in_(ids)
                )
                .group_by(Rating.ratee_id, Rating.state)
            )
        }
        skps = {
            employee_id: (skp_id, state)
            for employee_id, skp_id, state in session.execute(
                select(Skp.employee_id, Skp.id, Skp.state).where(
                    Skp.period_id == period.id, Skp.employee_id.in_(ids)
                )
            )
        }
        evaluations = list(
            session.scalars(
                select(Evaluation).where(
                    Evaluation.period_id == period.id, Evaluation.employee_id.in_(ids)
                )
            )
        )
        shown = confidentiality.shown_evaluations(session, actor, evaluations)
        predicates = {e.employee_id: shown[e.id].predicate for e in evaluations}
        for employee, relation in targets:
            submitted = counts.get((employee.id, RatingState.SUBMITTED), 0)
            rows.append(
                TeamRow(
                    period_id=period.id,
                    period_name=period.name,
                    ratee_id=employee.id,
                    ratee_name=employee.name,
                    ratee_nip=employee.nip,
                    relation=relation,
                    skp_state=skps.get(employee.id, (None, None))[1],
                    rated=submitted + counts.get((employee.id, RatingState.DRAFT), 0),
                    submitted=submitted,
                    predicate=predicates.get(employee.id) if relation != RaterKind.PEER else None,
                    skp_id=skps.get(employee.id, (None, None))[0]
                    if relation != RaterKind.PEER
                    else None,
                )
            )
    return rows
