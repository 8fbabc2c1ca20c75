"""Organisation predikat per unit and the distribution check of SE MenPANRB 3/2023.

The check itself is the engine's (the ruleset's `distribution:` table); this module gathers
each unit's employee predicates (the unit and its sub-units) and records the organisation
predikat that Kepegawaian, or the unit's own leader, sets in the review state.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import ORGANISATION_PREDICATES, PREDICATES, PeriodState, label
from app.engine import check_distribution
from app.models import Employee, Evaluation, Period, Unit, UnitResult
from app.services import audit
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.authoring.rulesets import engine_ruleset
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.public import confidentiality
from app.services.unit_of_work import unit_of_work

PREDICATE_WORDS = frozenset(PREDICATES) | frozenset(ORGANISATION_PREDICATES)


@dataclass
class UnitFindings:
    """One unit's organisation predikat, its employees' predicate counts and the findings."""

    unit_id: int
    name: str
    predicate: str | None
    counts: dict[str, int | None] = field(default_factory=dict)  # None: a masked small group
    findings: list[str] = field(default_factory=list)
    pattern: list[str] = field(default_factory=list)
    total_text: str | None = None  # a range when a small group is masked

    @property
    def total(self) -> int:
        return sum(n or 0 for n in self.counts.values())

    @property
    def unmasked_counts(self) -> dict[str, int]:
        """The counts of findings in which nothing is masked (`masked` is false)."""
        known = {predicate: n for predicate, n in self.counts.items() if n is not None}
        if len(known) != len(self.counts):
            raise ValueError(f"Unit {self.unit_id}: its counts are masked.")
        return known

    @property
    def masked(self) -> bool:
        return any(n is None for n in self.counts.values())

    @property
    def shown_total(self) -> str:
        return self.total_text or str(self.total)


def shown_findings(actor: Actor, findings: list[UnitFindings]) -> list[UnitFindings]:
    """The findings as `actor` may read them: for anyone but Kepegawaian, counts of 1 to 4
    people are masked, and so are the figures in the findings' sentences of such a unit."""
    out = []
    for unit in findings:
        full = {predicate: 0 for predicate in PREDICATES} | unit.unmasked_counts
        cells, total_text = confidentiality.masked_counts(actor, full)
        if not any(n is None for n in cells.values()):
            out.append(unit)
            continue
        sentences = [text.split("; sekarang ")[0] + "." for text in unit.findings]
        out.append(replace(unit, counts=cells, total_text=total_text, findings=sentences))
    return out


def _subtree_counts(session: Session, period: Period) -> dict[int, Counter[str]]:
    """Predicate counts per unit, each unit including its sub-units."""
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    own: dict[int, Counter[str]] = defaultdict(Counter)
    final = func.coalesce(Evaluation.override_predicate, Evaluation.predicate)
    for unit_id, predicate, count in session.execute(
        select(Employee.unit_id, final, func.count())
        .join(Employee, Employee.id == Evaluation.employee_id)
        .where(Evaluation.period_id == period.id, final.is_not(None))
        .group_by(Employee.unit_id, final)
    ):  # counted in the database: a row per unit and predikat, not per employee
        current: int | None = unit_id
        for _ in range(64):
            if current is None:
                break
            own[current][predicate] += count
            current = parents.get(current)
    return own


_CODE = re.compile(r"'?\b([a-z]+(?:_[a-z]+)*)\b'?")


def _words(text: str) -> str:
    """The engine's distribution sentence with predikat codes as their labels
    (`'butuh_perbaikan'` -> `Butuh Perbaikan`); other words stay as they are."""
    return _CODE.sub(lambda m: label(m[1]) if m[1] in PREDICATE_WORDS else m[0], text)


def period_findings(session: Session, period: Period) -> list[UnitFindings]:
    """Every unit with an organisation predikat in this period, checked by the engine."""
    results = list(
        session.execute(
            select(UnitResult.unit_id, Unit.name, UnitResult.predicate)
            .join(Unit, Unit.id == UnitResult.unit_id)
            .where(UnitResult.period_id == period.id)
            .order_by(Unit.name)
        )
    )
    if not results or period.ruleset_version is None:
        return [UnitFindings(unit_id=u, name=n, predicate=p) for u, n, p in results]
    counts = _subtree_counts(session, period)
    units = [
        {"unit": str(unit_id), "predicate": predicate, "counts": dict(counts.get(unit_id, {}))}
        for unit_id, _, predicate in results
    ]
    checked = check_distribution(engine_ruleset(session, period.ruleset_version), units)
    by_unit = {str(item["unit"]): item for item in checked}
    return [
        UnitFindings(
            unit_id=unit_id,
            name=name,
            predicate=predicate,
            counts=dict(counts.get(unit_id, {})),
            findings=[_words(f["message"]) for f in by_unit[str(unit_id)]["findings"]],
            pattern=[_words(p) for p in by_unit[str(unit_id)].get("pattern", [])],
        )
        for unit_id, name, predicate in results
    ]


def led_units(session: Session, actor: Actor) -> list[Unit]:
    """The units whose organisation predikat this actor may set: every top-level unit for
    Kepegawaian; for a unit head (`is_unit_head`), the unit they lead and its sub-units."""
    if actor.is_hr:
        return list(
            session.scalars(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.name))
        )
    me = session.get(Employee, actor.employee_id) if actor.employee_id else None
    if me is None or not me.is_unit_head:
        return []
    children: dict[int | None, list[int]] = defaultdict(list)
    for unit_id, parent_id in session.execute(select(Unit.id, Unit.parent_id)):
        children[parent_id].append(unit_id)
    led: list[int] = []
    pending = [me.unit_id]
    while pending and len(led) < 10_000:  # a corrupted cycle cannot loop forever
        unit_id = pending.pop()
        led.append(unit_id)
        pending += children.get(unit_id, [])
    return list(session.scalars(select(Unit).where(Unit.id.in_(led)).order_by(Unit.name)))


@unit_of_work()
def set_unit_result(
    session: Session,
    actor: Actor,
    period_id: int,
    unit_id: int,
    predicate: str,
    note: str | None = None,
) -> UnitResult:
    """Kepegawaian, or the unit's leader, sets its organisation predikat while the period is in
    review. Kepegawaian may set any unit's; a unit head only that of the unit they lead or one
    of its sub-units."""
    if not actor.is_hr and not actor.employee_id:
        raise Forbidden("Hanya Kepegawaian atau pimpinan unit yang menetapkan predikat organisasi.")
    period = periods.get_period(session, period_id)
    periods.ensure_writable(period)
    if period.state != PeriodState.REVIEW:
        raise Conflict("Predikat organisasi ditetapkan saat periode berstatus Peninjauan.")
    if session.get(Unit, unit_id) is None:
        raise NotFound("Unit tidak ditemukan.")
    if not actor.is_hr and unit_id not in {unit.id for unit in led_units(session, actor)}:
        raise Forbidden(
            "Predikat organisasi unit ini ditetapkan oleh Kepegawaian atau pimpinan unitnya."
        )
    if predicate not in ORGANISATION_PREDICATES:
        raise InvalidInput(
            "Predikat organisasi harus salah satu dari: "
            + ", ".join(label(p) for p in ORGANISATION_PREDICATES)
            + ".",
            field="predicate",
        )
    row = session.scalar(
        select(UnitResult).where(UnitResult.period_id == period.id, UnitResult.unit_id == unit_id)
    )
    if row is None:
        row = UnitResult(period_id=period.id, unit_id=unit_id, predicate=predicate)
        session.add(row)
    row.predicate, row.note = predicate, (note or "").strip() or None
    session.flush()
    audit.describe(
        session,
        "unit.predikat",
        actor,
        reason=note,
        subject_type="unit",
        subject_id=unit_id,
        facts={"period_id": period.id, "predicate": predicate},
    )
    return row
