"""The summary of a closed period: what the province's appraisal came to.

Province-wide predikat counts (the final predikat: an upheld appeal counts), per SKPA the
distribution against the pattern its organisation predikat expects (the engine's check, as on
the period page), and the SKPAs still without an organisation predikat, which the distribution
check therefore cannot cover. Kepegawaian only: the counts include groups of fewer than five.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import PREDICATES, PeriodState
from app.models import Evaluation, Period, Unit, UnitResult
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.appraisal.distribution import UnitFindings, period_findings
from app.services.errors import Conflict, Forbidden


@dataclass
class PeriodSummary:
    period: Period
    counts: dict[str, int]  # final predikat -> employees
    without_predicate: int  # evaluated, but incomplete or invalid: no predikat
    units: list[UnitFindings]  # SKPAs and sub-units with an organisation predikat
    units_without: list[Unit]  # SKPAs without one

    @property
    def evaluated(self) -> int:
        return sum(self.counts.values()) + self.without_predicate

    @property
    def units_with_findings(self) -> int:
        return sum(1 for unit in self.units if unit.findings)


def period_summary(session: Session, actor: Actor, period_id: int) -> PeriodSummary:
    """The summary of a closed period, for Kepegawaian."""
    if not actor.is_hr:
        raise Forbidden("Ringkasan periode disusun untuk Kepegawaian.")
    period = periods.get_period(session, period_id)
    if period.state != PeriodState.CLOSED:
        raise Conflict(
            f"Ringkasan tersedia setelah periode '{period.name}' ditutup; kemajuannya dapat "
            "dilihat pada halaman Kemajuan."
        )
    final = func.coalesce(Evaluation.override_predicate, Evaluation.predicate)
    counts = {predicate: 0 for predicate in PREDICATES}
    without = 0
    for predicate, count in session.execute(
        select(final, func.count()).where(Evaluation.period_id == period.id).group_by(final)
    ):
        if predicate in counts:
            counts[predicate] = count
        else:
            without += count
    with_result = select(UnitResult.unit_id).where(UnitResult.period_id == period.id)
    units_without = list(
        session.scalars(
            select(Unit)
            .where(Unit.parent_id.is_(None), Unit.is_active.is_(True), Unit.id.not_in(with_result))
            .order_by(Unit.name)
        )
    )
    return PeriodSummary(
        period=period,
        counts=counts,
        without_predicate=without,
        units=period_findings(session, period),
        units_without=units_without,
    )
