"""Who may look at an employee's own pages (dashboard, realisation, evidence, reports).

The employee, everyone up the employee's supervisor chain (the pejabat penilai and the atasan
pejabat penilai both need the picture), and Kepegawaian/Admin. Anyone else gets the same
"not found" as for an id that does not exist, so ids cannot be probed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Employee
from app.services.actor import Actor
from app.services.errors import NotFound
from app.services.organisation import MAX_DEPTH


def supervisor_chain(session: Session, employee: Employee) -> list[int]:
    """Ids of the employee's supervisors, nearest first (bounded against corrupted loops)."""
    chain: list[int] = []
    current = employee.supervisor_id
    while current is not None and len(chain) < MAX_DEPTH and current not in chain:
        chain.append(current)
        current = session.scalar(select(Employee.supervisor_id).where(Employee.id == current))
    return chain


def can_reach(session: Session, actor: Actor, employee: Employee) -> bool:
    if actor.is_hr:
        return True
    if actor.employee_id is None:
        return False
    return actor.employee_id == employee.id or actor.employee_id in supervisor_chain(
        session, employee
    )


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
