"""The public accountability page: how each SKPA did, in aggregates only.

Rules that protect people: only closed periods; figures per SKPA (a unit with its sub-units);
never an individual rating; a group smaller than `min_group` shows no figure at all (a
distribution of three people is three people's results). Inside a shown unit, a predikat held by
1 to `min_group - 1` people is a small group too: its count is masked ("< 5"), and the unit's
total is then given as a range of `min_group`, so the masked count cannot be recovered by
subtraction. Awardees are named only with their own consent (`public_award_consent`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.domain.enums import PREDICATES, PeriodState
from app.models import Employee, Evaluation, Period, PublicFeedback, Unit

MAX_DEPTH = 64


@dataclass
class UnitFigures:
    """One SKPA in one period. `None` figures are hidden because the group is too small."""

    unit: Unit
    evaluated: str
    distribution: dict[str, int | None] | None
    satisfaction: float | None
    feedback_count: int
    satisfaction_shown: bool
    awardees: list[tuple[str, str]] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return self.distribution is not None


@dataclass
class PeriodFigures:
    period: Period
    units: list[UnitFigures]


@dataclass
class CurrentSatisfaction:
    """The public's running satisfaction in the open period (their own input, not ratings)."""

    period: Period
    units: list[tuple[Unit, int, float | None]]


def root_of(session: Session) -> dict[int, int]:
    """Each unit id -> the id of its top-level unit (the SKPA)."""
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    roots: dict[int, int] = {}
    for unit_id in parents:
        current = unit_id
        for _ in range(MAX_DEPTH):
            parent = parents.get(current)
            if parent is None:
                break
            current = parent
        roots[unit_id] = current
    return roots


def _window(period: Period) -> tuple[datetime, datetime]:
    return (
        datetime.combine(period.start_date, time.min),
        datetime.combine(period.end_date + timedelta(days=1), time.min),
    )


def _satisfaction(
    session: Session, roots: dict[int, int], condition: ColumnElement[bool]
) -> dict[int, tuple[int, float]]:
    """Per SKPA: (number of feedbacks, average stars) of the feedback matching `condition`."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    rows = session.execute(
        select(PublicFeedback.unit_id, func.count(), func.sum(PublicFeedback.stars))
        .where(condition)
        .group_by(PublicFeedback.unit_id)
    )
    for unit_id, count, total in rows:
        bucket = sums[roots.get(unit_id, unit_id)]
        bucket[0] += int(count)
        bucket[1] += float(total or 0)
    return {root: (int(c), t / c) for root, (c, t) in sums.items() if c}


def period_figures(session: Session, period: Period, min_group: int) -> PeriodFigures:
    roots = root_of(session)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    rows = session.execute(
        select(Employee.unit_id, Evaluation.predicate, Evaluation.override_predicate)
        .join(Employee, Employee.id == Evaluation.employee_id)
        .where(Evaluation.period_id == period.id)
    )
    for unit_id, predicate, override in rows:
        final = override or predicate
        if final:
            counts[roots.get(unit_id, unit_id)][final] += 1
    start, end = _window(period)
    satisfaction = _satisfaction(
        session, roots, (PublicFeedback.created_at >= start) & (PublicFeedback.created_at < end)
    )
    awardees: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for unit_id, name, result in session.execute(
        select(Employee.unit_id, Employee.name, Evaluation.result)
        .join(Employee, Employee.id == Evaluation.employee_id)
        .where(Evaluation.period_id == period.id, Employee.public_award_consent.is_(True))
        .order_by(Employee.name)
    ):
        for award in (result or {}).get("awards") or []:
            awardees[roots.get(unit_id, unit_id)].append((name, str(award)))
    units = []
    for unit in session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.name)):
        total = sum(counts[unit.id].values())
        shown = total >= min_group
        distribution, evaluated = masked(counts[unit.id], total, min_group) if shown else (None, "")
        feedback_count, average = satisfaction.get(unit.id, (0, 0.0))
        satisfaction_shown = feedback_count >= min_group
        units.append(
            UnitFigures(
                unit=unit,
                evaluated=evaluated,
                distribution=distribution,
                satisfaction=round(average, 2) if satisfaction_shown else None,
                feedback_count=feedback_count if satisfaction_shown else 0,
                satisfaction_shown=satisfaction_shown,
                awardees=awardees[unit.id] if shown else [],
            )
        )
    return PeriodFigures(period=period, units=units)


def masked(counts: Counter[str], total: int, min_group: int) -> tuple[dict[str, int | None], str]:
    """The distribution with small cells masked (None), and the total as text: exact when
    nothing is masked, else the range of `min_group` numbers that holds it."""
    cells: dict[str, int | None] = {
        p: (None if 0 < counts[p] < min_group else counts[p]) for p in PREDICATES
    }
    if all(value is not None for value in cells.values()):
        return cells, str(total)
    low = total - total % min_group
    return cells, f"{low}–{low + min_group - 1}"


def closed_periods(session: Session) -> list[Period]:
    return list(
        session.scalars(
            select(Period)
            .where(Period.state == PeriodState.CLOSED)
            .order_by(Period.end_date.desc())
        )
    )


def current_satisfaction(session: Session, min_group: int) -> CurrentSatisfaction | None:
    """The open period's running public satisfaction per SKPA (hidden below `min_group`)."""
    period = session.scalar(
        select(Period).where(Period.state == PeriodState.OPEN).order_by(Period.start_date.desc())
    )
    if period is None:
        return None
    roots = root_of(session)
    figures = _satisfaction(session, roots, PublicFeedback.period_id == period.id)
    units = []
    for unit in session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.name)):
        count, average = figures.get(unit.id, (0, 0.0))
        shown = count >= min_group
        units.append((unit, count if shown else 0, round(average, 2) if shown else None))
    return CurrentSatisfaction(period=period, units=units)
