"""Rules for units and employees that forms, APIs and imports all apply the same way."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from app.domain.enums import JENJANG, label
from app.domain.golongan import golongan_error
from app.domain.nip import nip_error
from app.models import Employee, Position, Unit
from app.services import audit
from app.services.actor import Actor
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.unit_of_work import unit_of_work

MAX_DEPTH = 64  # deeper than any real hierarchy; stops a walk over corrupted data


def without_supervisor() -> ColumnElement[bool]:
    """Active employees nobody can rate: no pejabat penilai, and not a unit head (whose
    predikat follows the unit's). One definition for the to-do count and the list it opens."""
    return and_(
        Employee.is_active.is_(True),
        Employee.supervisor_id.is_(None),
        Employee.is_unit_head.is_(False),
    )


def without_account() -> ColumnElement[bool]:
    """Active employees who cannot sign in: no user account is linked to them."""
    return and_(Employee.is_active.is_(True), Employee.user_id.is_(None))


def check_nip(session: Session, nip: str, status: str, employee_id: int | None) -> None:
    """Refuse an impossible NIP or one that belongs to another employee."""
    problem = nip_error(nip, status)
    if problem:
        raise InvalidInput(problem, field="nip")
    owner = session.scalar(select(Employee.id).where(Employee.nip == nip))
    if owner is not None and owner != employee_id:
        raise InvalidInput(f"NIP {nip} sudah terdaftar untuk pegawai lain.", field="nip")


def check_golongan(status: str, golongan: str) -> None:
    """Refuse a golongan outside the official list of the employee's status."""
    problem = golongan_error(status, golongan)
    if problem:
        raise InvalidInput(problem, field="golongan")


def check_jenjang(jenjang: str | None, jabatan_kind: str | None) -> None:
    """A jenjang is one of the jabatan fungsional levels, and only a fungsional has one: it
    decides the angka kredit, which no other jabatan earns."""
    if not jenjang:
        return
    if jenjang not in JENJANG:
        raise InvalidInput(
            "Jenjang harus salah satu dari: " + ", ".join(label(j) for j in JENJANG) + ".",
            field="jenjang",
        )
    if jabatan_kind is not None and jabatan_kind != "fungsional":
        raise InvalidInput(
            f"Jenjang hanya untuk jabatan fungsional, bukan {label(jabatan_kind)}.",
            field="jenjang",
        )


def position_kind(session: Session, position_id: int | None) -> str | None:
    """The kind of a jabatan by its id (None when there is none). No autoflush: the employee
    being checked may be half-built in the session."""
    if position_id is None:
        return None
    with session.no_autoflush:
        return session.scalar(select(Position.kind).where(Position.id == position_id))


def check_supervisor(session: Session, employee_id: int | None, supervisor_id: int | None) -> None:
    """Refuse a supervisor chain that loops back to the employee (A over B over A)."""
    if supervisor_id is None:
        return
    if employee_id is not None and supervisor_id == employee_id:
        raise InvalidInput("Pegawai tidak dapat menjadi atasannya sendiri.", field="supervisor")
    current: int | None = supervisor_id
    for _ in range(MAX_DEPTH):
        if current is None:
            return
        if employee_id is not None and current == employee_id:
            raise InvalidInput(
                "Atasan ini membentuk lingkaran: pegawai tersebut sudah menjadi atasan "
                "(langsung atau tidak langsung) dari atasan yang dipilih.",
                field="supervisor",
            )
        current = session.scalar(select(Employee.supervisor_id).where(Employee.id == current))
    raise InvalidInput("Rantai atasan terlalu panjang atau melingkar.", field="supervisor")


def employee_by_nip(session: Session, nip: str) -> Employee:
    """The employee with this NIP, or InvalidInput for the supervisor field."""
    employee = session.scalar(select(Employee).where(Employee.nip == nip))
    if employee is None:
        raise InvalidInput(f"Tidak ada pegawai dengan NIP {nip}.", field="supervisor")
    return employee


def check_unit_parent(session: Session, unit_id: int | None, parent_id: int | None) -> None:
    """Refuse a unit that would become its own ancestor."""
    if parent_id is None:
        return
    current: int | None = parent_id
    for _ in range(MAX_DEPTH):
        if current is None:
            return
        if unit_id is not None and current == unit_id:
            raise InvalidInput(
                "Unit induk tidak boleh unit itu sendiri atau salah satu sub-unitnya.",
                field="parent",
            )
        current = session.scalar(select(Unit.parent_id).where(Unit.id == current))
    raise InvalidInput("Hierarki unit terlalu dalam atau melingkar.", field="parent")


def check_employee(
    session: Session,
    *,
    employee_id: int | None,
    nip: str,
    status: str,
    golongan: str,
    supervisor_id: int | None,
    jenjang: str | None = None,
    jabatan_kind: str | None = None,
) -> None:
    """All the rules of an employee record, in the order a user fixes them.

    No autoflush: the record being checked may be half-built in the session.
    """
    with session.no_autoflush:
        check_nip(session, nip, status, employee_id)
        check_golongan(status, golongan)
        check_jenjang(jenjang, jabatan_kind)
        check_supervisor(session, employee_id, supervisor_id)


def name_choices(session: Session, model: type[Unit] | type[Position]) -> list[tuple[str, str]]:
    """(id, name) of every unit or position, for a select on a page only Kepegawaian opens.

    Two plain columns instead of ORM objects: hundreds of units load faster that way.
    """
    rows = session.execute(select(model.id, model.name).order_by(model.name))
    return [(str(row_id), name) for row_id, name in rows]


@unit_of_work()
def set_supervisor(
    session: Session, actor: Actor, nip: str, supervisor_nip: str | None
) -> Employee:
    """Give the employee with `nip` a new pejabat penilai (none when `supervisor_nip` is empty).

    Kepegawaian only; the same loop check as the panel's form. The session's audit listener
    writes the entry (before and after, both by NIP and name).
    """
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat mengubah atasan pegawai.")
    employee = session.scalar(select(Employee).where(Employee.nip == nip.strip()))
    if employee is None:
        raise NotFound(f"Tidak ada pegawai dengan NIP {nip}.")
    boss = employee_by_nip(session, supervisor_nip.strip()) if supervisor_nip else None
    check_supervisor(session, employee.id, boss.id if boss else None)
    employee.supervisor = boss
    audit.describe(session, "pegawai.ubah_atasan", actor, subject=employee)
    return employee
