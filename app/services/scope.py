"""Row-level visibility: which employees an actor may reach.

One definition used by list filters, REST filters and every use case, so the panel and the API
cannot disagree about who sees whom.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, ScalarSelect, and_, false, or_, select, true

from app.domain.enums import RaterKind
from app.models import Employee, Rating
from app.services.actor import Actor


def visible_employees(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Employee: everyone for HR, own subordinates and self for a supervisor,
    self for an employee, nobody otherwise."""
    if actor.is_hr:
        return true()
    if actor.employee_id is None:
        return false()
    clauses = [Employee.id == actor.employee_id]
    if actor.is_supervisor:
        clauses.append(Employee.supervisor_id == actor.employee_id)
    return or_(*clauses)


def visible_employee_ids(actor: Actor) -> ScalarSelect[int]:
    """The ids of `visible_employees`, as a subquery for tables that point at employees."""
    return select(Employee.id).where(visible_employees(actor)).scalar_subquery()


def visible_ratings(actor: Actor) -> ColumnElement[bool]:
    """Ratings an actor may read one by one. Nobody but Kepegawaian sees a peer's rating of
    someone else (the ratee and the supervisor see peers' input only as an aggregate of at
    least three, see `confidentiality`); a supervisor sees the other ratings of own
    subordinates."""
    if actor.is_hr:
        return true()
    if actor.employee_id is None:
        return false()
    me = actor.employee_id
    clauses = [
        Rating.rater_id == me,
        and_(Rating.ratee_id == me, Rating.rater_kind.in_((RaterKind.SUPERVISOR, RaterKind.SELF))),
    ]
    if actor.is_supervisor:
        subordinates = select(Employee.id).where(Employee.supervisor_id == me)
        clauses.append(and_(Rating.ratee_id.in_(subordinates), Rating.rater_kind != RaterKind.PEER))
    return or_(*clauses)
