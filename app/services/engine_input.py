"""From the database to the engine's input: one dict per employee, in the contract's shape.

Built with plain column selects (no ORM objects) because closing a provincial period reads a
million ratings; the same builder serves the live evaluation of one employee, the batch close
and the what-if simulation, so all three see exactly the same facts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.domain.codes import PUBLIC_INDICATOR, rhk_key
from app.domain.enums import PeriodState, RaterKind, RatingState, RhkKind
from app.models import (
    AspectLevel,
    Employee,
    Evaluation,
    Indicator,
    Period,
    Position,
    PublicFeedback,
    Rating,
    Rhk,
    Unit,
    UnitResult,
)

EmployeeInput = dict[str, Any]
# The engine's input holds plain strings (its fast path checks `value.__class__ is str`).
PUBLIC = RaterKind.PUBLIC.value


def _among(column: Any, ids: Sequence[int]) -> Any:
    """`column IN ids`, as a range when the ids are nearly contiguous (chunks of ascending
    employee ids are): a range scan of the index instead of thousands of bound parameters,
    which PostgreSQL's driver spent longer splitting than the server spent answering. Rows of
    ids inside the range but not asked for are dropped by the callers, who key by id."""
    low, high = min(ids), max(ids)
    if high - low < 2 * len(ids):
        return column.between(low, high)
    return column.in_(ids)


def _rows(session: Session, statement: Any) -> Any:
    """Plain rows from the connection: these selects name columns only, so the ORM's row
    loading would add work for every one of a million ratings and give nothing."""
    return session.connection().execute(statement)


def _employees(session: Session, ids: Sequence[int]) -> list[Any]:
    wanted = set(ids)
    return [
        row
        for row in _rows(
            session,
            select(
                Employee.id,
                Employee.nip,
                Employee.golongan,
                Employee.status,
                Employee.jenjang,
                Employee.is_unit_head,
                Employee.unit_id,
                Position.kind,
                Unit.code,
            )
            .join(Position, Position.id == Employee.position_id)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(_among(Employee.id, ids))
            .order_by(Employee.id),
        )
        if row[0] in wanted
    ]


def _ratings(session: Session, period_id: int, ids: Sequence[int]) -> dict[int, list[dict]]:
    rows = _rows(
        session,
        select(
            Rating.ratee_id,
            Rating.rater_kind,
            Rating.value_level,
            Rating.value_number,
            Indicator.code,
            Rhk.position,
            Rhk.kind,
        )
        .outerjoin(Indicator, Indicator.id == Rating.indicator_id)
        .outerjoin(Rhk, Rhk.id == Rating.rhk_id)
        .where(
            Rating.period_id == period_id,
            Rating.state == RatingState.SUBMITTED,
            _among(Rating.ratee_id, ids),
        ),
    )
    out: dict[int, list[dict]] = defaultdict(list)
    utama = RhkKind.UTAMA.value  # looked up once: this loop runs once per rating
    for ratee, rater, level, number, code, rhk_position, rhk_kind in rows:
        value: str | float = level if level is not None else float(number)
        if code is not None:
            out[ratee].append({"indicator": code, "rater": rater, "value": value})
        else:
            out[ratee].append(
                {
                    "rhk": rhk_key(rhk_position),
                    "utama": rhk_kind == utama,
                    "rater": rater,
                    "value": value,
                }
            )
    return out


def _levels(session: Session, period_id: int, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = defaultdict(dict)
    rows = _rows(
        session,
        select(AspectLevel.employee_id, AspectLevel.aspect, AspectLevel.level).where(
            AspectLevel.period_id == period_id, _among(AspectLevel.employee_id, ids)
        ),
    )
    for employee_id, aspect, level in rows:
        out[employee_id][aspect] = level
    return out


def _unit_predicates(session: Session, period_id: int) -> dict[int, str]:
    """Each unit's organisation predikat; a sub-unit without one takes its parent's."""
    own = dict(
        session.execute(
            select(UnitResult.unit_id, UnitResult.predicate).where(
                UnitResult.period_id == period_id
            )
        ).all()
    )
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    resolved: dict[int, str] = {}
    for unit_id in parents:
        current: int | None = unit_id
        for _ in range(64):
            if current is None or current in own:
                break
            current = parents.get(current)
        if current is not None and current in own:
            resolved[unit_id] = own[current]
    return resolved


def _public(session: Session, period: Period, ids: Sequence[int]) -> dict[int, list[dict]]:
    """The public's stars inside the period: an employee's own feedback, and the unit's
    average as one more voice for everyone in the unit."""
    in_period = and_(
        PublicFeedback.created_at >= datetime.combine(period.start_date, time.min),
        PublicFeedback.created_at < datetime.combine(period.end_date + timedelta(days=1), time.min),
    )
    out: dict[int, list[dict]] = defaultdict(list)
    for employee_id, stars in _rows(
        session,
        select(PublicFeedback.employee_id, PublicFeedback.stars).where(
            in_period, _among(PublicFeedback.employee_id, ids)
        ),
    ):
        out[employee_id].append(
            {"indicator": PUBLIC_INDICATOR, "rater": PUBLIC, "value": float(stars)}
        )
    unit_avg: dict[int, Any] = dict(  # unit id -> average stars
        session.execute(
            select(PublicFeedback.unit_id, func.avg(PublicFeedback.stars))
            .where(in_period, PublicFeedback.employee_id.is_(None))
            .group_by(PublicFeedback.unit_id)
        ).all()
    )
    if unit_avg:
        for employee_id, unit_id in _rows(
            session, select(Employee.id, Employee.unit_id).where(_among(Employee.id, ids))
        ):
            if unit_id in unit_avg:
                out[employee_id].append(
                    {
                        "indicator": PUBLIC_INDICATOR,
                        "rater": PUBLIC,
                        "value": round(float(unit_avg[unit_id]), 4),
                    }
                )
    return out


def _final_predicates(
    session: Session, period_ids: Sequence[int], ids: Sequence[int]
) -> dict[tuple[int, int], str]:
    if not period_ids:
        return {}
    rows = _rows(
        session,
        select(
            Evaluation.employee_id,
            Evaluation.period_id,
            Evaluation.predicate,
            Evaluation.override_predicate,
        ).where(Evaluation.period_id.in_(period_ids), _among(Evaluation.employee_id, ids)),
    )
    return {
        (e, p): override or predicate for e, p, predicate, override in rows if override or predicate
    }


def _streak(predicates: dict, employee_id: int, period_ids: Sequence[int], good: set[str]) -> int:
    count = 0
    for period_id in period_ids:
        if predicates.get((employee_id, period_id)) not in good:
            break
        count += 1
    return count


def _history(session: Session, period: Period, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Facts from earlier closed periods, newest first: the sangat-baik streak over periods of
    the same kind, the baik-or-better streak over annual periods, the previous predikat."""
    earlier = session.execute(
        select(Period.id, Period.kind)
        .where(Period.state == PeriodState.CLOSED, Period.end_date < period.start_date)
        .order_by(Period.end_date.desc())
    ).all()
    same_kind = [pid for pid, kind in earlier if kind == period.kind]
    annual = [pid for pid, kind in earlier if kind == "tahunan"]
    predicates = _final_predicates(session, [pid for pid, _ in earlier], ids)
    history: dict[int, dict[str, Any]] = {}
    for employee_id in ids:
        facts: dict[str, Any] = {
            "sangat_baik_streak": _streak(predicates, employee_id, same_kind, {"sangat_baik"}),
            "baik_years": _streak(predicates, employee_id, annual, {"sangat_baik", "baik"}),
        }
        previous = predicates.get((employee_id, same_kind[0])) if same_kind else None
        if previous:
            facts["previous_predicate"] = previous
        history[employee_id] = facts
    return history


def period_months(period: Period) -> int:
    """The calendar months a period spans, from its dates (1 for a month, 3 for a quarter, 12
    for a year): the share of the annual angka kredit coefficient it earns (BKN: a periodic
    evaluation of January–February counts 2/12). From the dates rather than the kind, so an
    irregular period (an employee's first two months) counts what it covers."""
    start, end = period.start_date, period.end_date
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    return max(1, min(months, 12))


def build_inputs(
    session: Session, period: Period, employee_ids: Sequence[int]
) -> list[EmployeeInput]:
    """Engine inputs for these employees in this period, ordered by employee id."""
    ids = list(employee_ids)
    if not ids:
        return []
    employees = _employees(session, ids)
    ratings = _ratings(session, period.id, ids)
    public = _public(session, period, ids)
    levels = _levels(session, period.id, ids)
    unit_predicates = _unit_predicates(session, period.id)
    history = _history(session, period, ids)
    span = {"kind": period.kind, "months": period_months(period)}
    inputs: list[EmployeeInput] = []
    for emp_id, nip, golongan, status, jenjang, is_head, unit_id, kind, unit_code in employees:
        entry: EmployeeInput = {
            "nip": nip,
            "employee": {
                "jabatan": kind,
                "golongan": golongan,
                "status": status,
                "jenjang": jenjang,
                "unit": unit_code,
                "is_unit_head": bool(is_head),
            },
            "period": dict(span),
            "history": history[emp_id],
            "ratings": ratings.get(emp_id, []) + public.get(emp_id, []),
        }
        if unit_id in unit_predicates:
            entry["unit"] = {"predicate": unit_predicates[unit_id]}
        if levels.get(emp_id):
            entry["levels"] = levels[emp_id]
        inputs.append(entry)
    return inputs


def employee_id_chunks(
    session: Session, after_id: int = 0, chunk_size: int = 2000
) -> Iterator[list[int]]:
    """Active employee ids in ascending chunks, starting after `after_id` (resumable)."""
    last = after_id
    while True:
        chunk = list(
            session.scalars(
                select(Employee.id)
                .where(Employee.is_active.is_(True), Employee.id > last)
                .order_by(Employee.id)
                .limit(chunk_size)
            )
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1]
