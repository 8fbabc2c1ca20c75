"""Who may see and act on whom: the one access policy of the services, the panel's list
filters and the REST API's filters.

Named predicates, each answered in Python for a loaded employee and, where lists need it, as a
SQL clause, so that a page, an endpoint and a use case cannot disagree:
- **role-wide**: Kepegawaian and Admin reach everyone;
- **self**: the employee's own records;
- **direct supervisor** (pejabat penilai): rates, reviews the SKP, sets levels and expectations;
- **supervisor chain** (the pejabat penilai and the atasan pejabat penilai up the line): may
  look at the employee's own pages (dashboard, realisation, evidence, reports).
An actor without an employee record is neither self nor anyone's supervisor (an empty
`supervisor_id` never matches an empty `employee_id`). Whoever may not see someone gets the
same "not found" as for an id that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, and_, false, or_, select, true
from sqlalchemy.orm import Session

from app.domain.enums import RaterKind
from app.models import Employee, Rating
from app.services.actor import Actor
from app.services.errors import NotFound
from app.services.people.organisation import MAX_DEPTH


def role_wide(actor: Actor) -> bool:
    """Kepegawaian and Admin, whose work spans every unit."""
    return actor.is_hr


def is_self(actor: Actor, employee: Employee) -> bool:
    return actor.employee_id is not None and actor.employee_id == employee.id


def is_direct_supervisor(actor: Actor, employee: Employee) -> bool:
    """The actor is the employee's pejabat penilai."""
    return actor.employee_id is not None and employee.supervisor_id == actor.employee_id


def subordinates_of(employee_id: int) -> Select[Any]:
    """Ids of the employee's direct subordinates, as a subquery."""
    return select(Employee.id).where(Employee.supervisor_id == employee_id)


def has_subordinates(session: Session, actor: Actor) -> bool:
    if actor.employee_id is None:
        return False
    return session.scalar(subordinates_of(actor.employee_id).limit(1)) is not None


def supervisor_chain(session: Session, employee: Employee) -> list[int]:
    """Ids of the employee's supervisors, nearest first (bounded against corrupted loops)."""
    chain: list[int] = []
    current = employee.supervisor_id
    while current is not None and len(chain) < MAX_DEPTH and current not in chain:
        chain.append(current)
        current = session.scalar(select(Employee.supervisor_id).where(Employee.id == current))
    return chain


def in_supervisor_chain(session: Session, actor: Actor, employee: Employee) -> bool:
    return actor.employee_id is not None and actor.employee_id in supervisor_chain(
        session, employee
    )


def can_reach(session: Session, actor: Actor, employee: Employee) -> bool:
    """May look at the employee's own pages: role-wide, self, or up the supervisor chain."""
    return (
        role_wide(actor)
        or is_self(actor, employee)
        or in_supervisor_chain(session, actor, employee)
    )


def can_see_plan(actor: Actor, owner: Employee) -> bool:
    """May read the owner's SKP: role-wide, self, or the direct supervisor."""
    return role_wide(actor) or is_self(actor, owner) or is_direct_supervisor(actor, owner)


def reachable_employee(session: Session, actor: Actor, employee_id: int) -> Employee:
    """The employee, or NotFound when it does not exist or the actor may not see it."""
    employee = session.get(Employee, employee_id)
    if employee is None or not can_reach(session, actor, employee):
        raise NotFound("Pegawai tidak ditemukan.")
    return employee


def own_employee(session: Session, actor: Actor) -> Employee:
    """The actor's own employee record (staff accounts without one get a clear message)."""
    if actor.employee_id is None:
        raise NotFound("Akun ini tidak terhubung dengan data pegawai.")
    return reachable_employee(session, actor, actor.employee_id)


def reachable_by_nip(session: Session, actor: Actor, nip: str | None) -> Employee:
    """The employee with this NIP, under the same reach rule (Kepegawaian finds anyone)."""
    employee_id = session.scalar(select(Employee.id).where(Employee.nip == (nip or "").strip()))
    if employee_id is None:
        raise NotFound("Pegawai dengan NIP tersebut tidak ditemukan.")
    return reachable_employee(session, actor, employee_id)


def visible_employees(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on Employee for lists: everyone role-wide, self and direct subordinates
    for a supervisor, self for an employee, nobody otherwise."""
    if role_wide(actor):
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
    if role_wide(actor):
        return true()
    if actor.employee_id is None:
        return false()
    me = actor.employee_id
    clauses = [
        Rating.rater_id == me,
        and_(Rating.ratee_id == me, Rating.rater_kind.in_((RaterKind.SUPERVISOR, RaterKind.SELF))),
    ]
    if actor.is_supervisor:
        clauses.append(
            and_(Rating.ratee_id.in_(subordinates_of(me)), Rating.rater_kind != RaterKind.PEER)
        )
    return or_(*clauses)
