"""Kinerja Saya: what an employee sees of their own performance, as it is now and over time.

Plain data for the page: the selected period's evaluation with its explanation in sentences
(the one renderer, `app.services.reports.explain`), the history of final predikat (an upheld appeal
counts), awards and training.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import PREDICATES
from app.models import Employee, Evaluation, Period
from app.services.access import reachable_employee
from app.services.actor import Actor
from app.services.appraisal.periods import PeriodChoice, period_choice
from app.services.errors import NotFound
from app.services.public.confidentiality import Shown, shown_evaluation, shown_evaluations
from app.services.reports.explain import explain

# Height of a predikat in the history chart: sangat_baik highest.
PREDICATE_RANK: dict[str, int] = {p: len(PREDICATES) - i for i, p in enumerate(PREDICATES)}


@dataclass
class AspectView:
    name: str
    level: str | None
    score: float | None


@dataclass
class EvaluationView:
    """One evaluation as the employee reads it."""

    id: int
    period: Period
    status: str
    message: str | None
    predicate: str | None
    final_predicate: str | None
    override_reason: str | None
    aspects: list[AspectView]
    explanation: list[str]
    awards: list[str]
    training: list[str]
    consequences: dict[str, Any]
    computed_at: Any
    periodic: list[dict[str, Any]] = field(default_factory=list)  # an annual result's periods
    confidentiality_note: str | None = None


@dataclass
class HistoryPoint:
    period_id: int
    period_name: str
    end_date: date
    predicate: str | None


@dataclass
class Dashboard:
    employee: Employee
    periods: list[Period]
    period: Period | None
    current: EvaluationView | None
    history: list[HistoryPoint] = field(default_factory=list)
    choice: PeriodChoice | None = None  # the period selector's state


def _score(value: Any) -> float | None:
    try:
        return round(float(value), 2) if value is not None else None
    except (TypeError, ValueError):
        return None


def evaluation_view(session: Session, evaluation: Evaluation, shown: Shown) -> EvaluationView:
    """The result as the viewer may read it (`shown`, see confidentiality), read defensively:
    older results may lack newer keys."""
    result = shown.result
    aspects = [
        AspectView(
            name=str(name),
            level=(facts or {}).get("level"),
            score=_score((facts or {}).get("score")),
        )
        for name, facts in (result.get("aspects") or {}).items()
    ]
    explanation = explain(session, result)
    return EvaluationView(
        id=evaluation.id,
        period=evaluation.period,
        status=shown.status,
        message=result.get("message"),
        predicate=shown.predicate,
        final_predicate=shown.final_predicate,
        override_reason=evaluation.override_reason,
        aspects=aspects,
        explanation=explanation,
        awards=[str(a) for a in result.get("awards") or []],
        training=[str(t) for t in result.get("training") or []],
        consequences=dict(result.get("consequences") or {}),
        computed_at=evaluation.computed_at,
        periodic=[p for p in result.get("periodic") or [] if isinstance(p, dict)],
        confidentiality_note=shown.note,
    )


def history(session: Session, actor: Actor, employee_id: int) -> list[HistoryPoint]:
    """Final predikat per period as `actor` may read them, oldest first (the chart reads left
    to right)."""
    rows = session.execute(
        select(Evaluation, Period)
        .join(Period, Period.id == Evaluation.period_id)
        .where(Evaluation.employee_id == employee_id)
        .order_by(Period.start_date, Period.id)
    ).all()
    shown = shown_evaluations(session, actor, [evaluation for evaluation, _ in rows])
    return [
        HistoryPoint(period.id, period.name, period.end_date, shown[evaluation.id].final_predicate)
        for evaluation, period in rows
    ]


def dashboard(
    session: Session, actor: Actor, employee_id: int | None = None, period_id: int | None = None
) -> Dashboard:
    """The dashboard of `employee_id` (default: the actor's own), for one period."""
    target = employee_id if employee_id is not None else actor.employee_id
    if target is None:
        raise NotFound("Akun ini tidak terhubung dengan data pegawai.")
    employee = reachable_employee(session, actor, target)
    choice = period_choice(session, actor, period_id, employee_id=employee.id)
    period = choice.selected
    current = None
    if period is not None:
        evaluation = session.scalar(
            select(Evaluation).where(
                Evaluation.period_id == period.id, Evaluation.employee_id == employee.id
            )
        )
        if evaluation is not None:
            shown = shown_evaluation(session, actor, evaluation)
            current = evaluation_view(session, evaluation, shown)
    return Dashboard(
        employee=employee,
        periods=choice.options,
        period=period,
        choice=choice,
        current=current,
        history=history(session, actor, employee.id),
    )
