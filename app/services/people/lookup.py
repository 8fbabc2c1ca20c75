"""Pickers that search on the server: employees by NIP or name, units and jabatan by name.

A page never embeds every employee or unit (40,000 names made list pages megabytes heavy and
showed everyone to anyone); a picker asks for at most `LIMIT` matches of what the viewer typed,
within what the viewer may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, or_, select
from sqlalchemy.orm import Session

from app.models import Employee, Position, Unit
from app.services.access import visible_employees
from app.services.actor import Actor

LIMIT = 20
MIN_CHARS = 2


@dataclass(frozen=True)
class Choice:
    """One match: the value a filter or form submits, and the words a person reads."""

    id: int
    text: str


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _name_matches(column: SQLColumnExpression[str], term: str) -> ColumnElement[bool]:
    return column.ilike(_like(term), escape="\\")


def employees(session: Session, actor: Actor, term: str) -> list[Choice]:
    """Employees the actor may see whose NIP starts with, or whose name contains, `term`."""
    term = (term or "").strip()
    if len(term) < MIN_CHARS:
        return []
    matches = [_name_matches(Employee.name, term)]
    if term.isdigit():
        matches.append(Employee.nip.startswith(term, autoescape=True))
    rows = session.execute(
        select(Employee.id, Employee.name, Employee.nip)
        .where(visible_employees(actor), or_(*matches))
        .order_by(Employee.name, Employee.nip)
        .limit(LIMIT)
    )
    return [Choice(row_id, f"{name} ({nip})") for row_id, name, nip in rows]


def employee_choices(session: Session, actor: Actor, ids: list[int]) -> list[Choice]:
    """The words for employees already chosen in a filter, only those the actor may see."""
    if not ids:
        return []
    rows = session.execute(
        select(Employee.id, Employee.name, Employee.nip).where(
            visible_employees(actor), Employee.id.in_(ids)
        )
    )
    return [Choice(row_id, f"{name} ({nip})") for row_id, name, nip in rows]


def units(session: Session, actor: Actor, term: str) -> list[Choice]:
    """Units whose name or code contains `term`: every unit for Kepegawaian, otherwise the
    units of the employees the actor may see."""
    return _named(session, actor, Unit, Employee.unit_id, term, Unit.code)


def positions(session: Session, actor: Actor, term: str) -> list[Choice]:
    """Jabatan by name, within the same reach as `units`."""
    return _named(session, actor, Position, Employee.position_id, term)


def named_choices(
    session: Session, model: type[Unit] | type[Position], ids: list[int]
) -> list[Choice]:
    """The names of units or jabatan already chosen in a filter."""
    if not ids:
        return []
    rows = session.execute(select(model.id, model.name).where(model.id.in_(ids)))
    return [Choice(row_id, name) for row_id, name in rows]


def _named(
    session: Session,
    actor: Actor,
    model: type[Unit] | type[Position],
    link: SQLColumnExpression[int],
    term: str,
    code: SQLColumnExpression[str] | None = None,
) -> list[Choice]:
    term = (term or "").strip()
    if len(term) < MIN_CHARS:
        return []
    matches = [_name_matches(model.name, term)]
    if code is not None:
        matches.append(_name_matches(code, term))
    query = select(model.id, model.name).where(or_(*matches))
    if not actor.is_hr:
        reachable = select(link).where(visible_employees(actor))
        query = query.where(model.id.in_(reachable))
    rows = session.execute(query.order_by(model.name).limit(LIMIT))
    return [Choice(row_id, name) for row_id, name in rows]
