"""Who may see what others said: one rule for every place a result is read.

1. **Small-group input.** A value that a peer's or the public's answer changes is shown to
   anyone but Kepegawaian/Admin only once at least `MIN_ANSWERS` (3) of that kind answered, and
   then only as the aggregate the engine computed (the combined value per indicator and what
   follows from it). Below that, the stored result is compared with the same ruleset run
   without that kind's input: every value that differs is withheld (shown as `None`, or left
   out of a list), every value that does not differ is shown. The official result stays as
   it was computed; only what a viewer reads is narrowed.
2. **Small counts.** Counts of people between 1 and `MIN_GROUP - 1` (4) appear only to
   Kepegawaian/Admin; others see them masked (`None`), with a total given as a range.
3. **Simulation.** What-if answers for anyone but Kepegawaian/Admin are aggregates: the
   distribution, and counts of changes per predikat pair and per SKPA, small counts masked;
   never a person.

The web layer (panel, API, PDF, exports) calls these functions where it reads results, so a
new screen that reads results through them follows the rule too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.domain.enums import label
from app.engine import evaluate
from app.models import Employee, Evaluation, Period, PublicFeedback, Rating, Unit
from app.services.actor import Actor
from app.services.engine_input import build_inputs
from app.services.rulesets import engine_ruleset

MIN_ANSWERS = 3
MIN_GROUP = 5
INPUT_KINDS = ("peer", "public")
NOTE = {
    "peer": f"Masukan rekan kerja ditampilkan setelah minimal {MIN_ANSWERS} rekan menjawab",
    "public": f"Masukan masyarakat ditampilkan setelah minimal {MIN_ANSWERS} tanggapan",
}


def sees_everything(actor: Actor) -> bool:
    """Kepegawaian and Admin read results as computed, small groups included."""
    return actor.is_hr


@dataclass(frozen=True)
class Shown:
    """An evaluation as one viewer may read it."""

    result: dict[str, Any]
    status: str
    predicate: str | None
    final_predicate: str | None
    withheld: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        """Why some values are missing (Indonesian), or None."""
        if not self.withheld:
            return None
        return "; ".join(NOTE[kind] for kind in self.withheld) + "."


def _window(period: Period) -> Any:
    return and_(
        PublicFeedback.created_at >= datetime.combine(period.start_date, time.min),
        PublicFeedback.created_at < datetime.combine(period.end_date + timedelta(days=1), time.min),
    )


def answer_counts(
    session: Session, period: Period, employee_ids: Sequence[int]
) -> dict[int, dict[str, int]]:
    """Per employee: how many peers answered, and how many public answers reach their result
    (their own feedback and their unit's, as the engine input reads them)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: {"peer": 0, "public": 0})
    ids = list(employee_ids)
    if not ids:
        return counts
    for ratee, peers in session.execute(
        select(Rating.ratee_id, func.count(func.distinct(Rating.rater_id)))
        .where(Rating.period_id == period.id, Rating.rater_kind == "peer",
               Rating.state == "submitted", Rating.ratee_id.in_(ids))
        .group_by(Rating.ratee_id)
    ):  # fmt: skip
        counts[ratee]["peer"] = int(peers)
    # one statement: each employee's own feedback and their unit's, as the engine input reads
    reaches = or_(
        PublicFeedback.employee_id == Employee.id,
        and_(PublicFeedback.employee_id.is_(None), PublicFeedback.unit_id == Employee.unit_id),
    )
    for employee_id, public in session.execute(
        select(Employee.id, func.count(PublicFeedback.id))
        .join(PublicFeedback, reaches)
        .where(Employee.id.in_(ids), _window(period))
        .group_by(Employee.id)
    ):
        counts[employee_id]["public"] = int(public)
    return counts


def withheld_kinds(counts: dict[str, int]) -> tuple[str, ...]:
    """The input kinds with some, but fewer than MIN_ANSWERS, answers."""
    return tuple(kind for kind in INPUT_KINDS if 0 < counts.get(kind, 0) < MIN_ANSWERS)


_MISSING = object()


def _narrow(shown: Any, baseline: Any) -> Any:
    """`shown` with every value that differs from `baseline` withheld: mappings key by key,
    lists keep only the entries the baseline has too, other values become None."""
    if shown == baseline:
        return shown
    if isinstance(shown, dict) and isinstance(baseline, dict):
        return {key: _narrow(value, baseline.get(key, _MISSING)) for key, value in shown.items()}
    if isinstance(shown, list) and isinstance(baseline, list):
        return [entry for entry in shown if entry in baseline]
    return None


def _baselines(
    session: Session, evaluations: Sequence[Evaluation], kinds: dict[int, tuple[str, ...]]
) -> dict[int, dict[str, Any]]:
    """Per evaluation id: the result of its own ruleset version on the same facts without the
    withheld kinds' input (computed now, stored nowhere)."""
    out: dict[int, dict[str, Any]] = {}
    groups: dict[tuple[int, int], list[Evaluation]] = defaultdict(list)
    for evaluation in evaluations:
        groups[(evaluation.period_id, evaluation.ruleset_version_id)].append(evaluation)
    for group in groups.values():
        group.sort(key=lambda e: e.employee_id)
        first = group[0]
        inputs = build_inputs(session, first.period, [e.employee_id for e in group])
        for entry, evaluation in zip(inputs, group, strict=True):
            dropped = set(kinds[evaluation.id])
            entry["ratings"] = [r for r in entry["ratings"] if r.get("rater") not in dropped]
        results = evaluate(engine_ruleset(session, first.ruleset_version), inputs)
        for evaluation, result in zip(group, results, strict=True):
            out[evaluation.id] = result
    return out


def shown_evaluations(
    session: Session, actor: Actor, evaluations: Iterable[Evaluation]
) -> dict[int, Shown]:
    """Each evaluation (by id) as `actor` may read it."""
    rows = list(evaluations)
    if sees_everything(actor):
        return {e.id: _as_is(e) for e in rows}
    by_period: dict[int, list[Evaluation]] = defaultdict(list)
    for evaluation in rows:
        by_period[evaluation.period_id].append(evaluation)
    kinds: dict[int, tuple[str, ...]] = {}
    for group in by_period.values():
        counts = answer_counts(session, group[0].period, [e.employee_id for e in group])
        for evaluation in group:
            kinds[evaluation.id] = withheld_kinds(counts[evaluation.employee_id])
    narrowed = [e for e in rows if kinds[e.id]]
    baselines = _baselines(session, narrowed, kinds) if narrowed else {}
    shown: dict[int, Shown] = {}
    for evaluation in rows:
        if not kinds[evaluation.id]:
            shown[evaluation.id] = _as_is(evaluation)
            continue
        result = _narrow(dict(evaluation.result or {}), baselines[evaluation.id])
        result["kerahasiaan"] = " ".join(NOTE[k] + "." for k in kinds[evaluation.id])
        predicate = result.get("predicate")
        status = result.get("status") or evaluation.status
        shown[evaluation.id] = Shown(
            result=result,
            status=status,
            predicate=predicate,
            final_predicate=evaluation.override_predicate or predicate,
            withheld=kinds[evaluation.id],
        )
    return shown


def shown_evaluation(session: Session, actor: Actor, evaluation: Evaluation) -> Shown:
    return shown_evaluations(session, actor, [evaluation])[evaluation.id]


def _as_is(evaluation: Evaluation) -> Shown:
    return Shown(
        result=dict(evaluation.result or {}),
        status=evaluation.status,
        predicate=evaluation.predicate,
        final_predicate=evaluation.final_predicate,
    )


# -- small counts ------------------------------------------------------------------------------


def masked_counts(actor: Actor, counts: dict[str, int]) -> tuple[dict[str, int | None], str]:
    """Counts as `actor` may read them, and the total as text. For anyone but Kepegawaian a
    count of 1 to MIN_GROUP - 1 is None, and the total is then the range of MIN_GROUP numbers
    that holds it (so a masked count cannot be recovered by subtraction)."""
    total = sum(counts.values())
    if sees_everything(actor):
        return dict(counts), str(total)
    cells = {key: masked_count(n) for key, n in counts.items()}
    if all(value is not None for value in cells.values()):
        return cells, str(total)
    low = total - total % MIN_GROUP
    return cells, f"{low}–{low + MIN_GROUP - 1}"


# -- simulation --------------------------------------------------------------------------------


def masked_count(count: int) -> int | None:
    """A count of people as anyone but Kepegawaian reads it (None: 1 to MIN_GROUP - 1)."""
    return None if 0 < count < MIN_GROUP else count


def _roots(session: Session, employee_ids: Sequence[int]) -> dict[int, int | None]:
    """Each employee's SKPA (top-level unit)."""
    parents = dict(session.execute(select(Unit.id, Unit.parent_id)).all())
    unit_of: dict[int, int] = {}
    ids = list(employee_ids)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        rows = session.execute(select(Employee.id, Employee.unit_id).where(Employee.id.in_(chunk)))
        unit_of.update((employee_id, unit_id) for employee_id, unit_id in rows)
    roots: dict[int, int | None] = {}
    for employee_id in ids:
        unit = unit_of.get(employee_id)
        for _ in range(64):  # a corrupted cycle cannot loop forever
            if unit is None or parents.get(unit) is None:
                break
            unit = parents[unit]
        roots[employee_id] = unit
    return roots


def simulation_aggregates(
    session: Session, changes: Sequence[Any], incomplete: str
) -> dict[str, Any]:
    """The changes of a simulation as counts only: per predikat pair (before, after) and per
    SKPA, counts of 1 to MIN_GROUP - 1 masked as None. `changes` are the simulation's change
    records (`employee_id`, `before` and `after` outcomes)."""
    pairs: Counter[tuple[str, str]] = Counter()
    for change in changes:
        pairs[(change.before["predicate"] or incomplete,
               change.after["predicate"] or incomplete)] += 1  # fmt: skip
    roots = _roots(session, [c.employee_id for c in changes])
    per_unit: Counter[int | None] = Counter(roots[c.employee_id] for c in changes)
    names = dict(session.execute(select(Unit.id, Unit.name)).all())
    return {
        "changed": len(changes),
        "pairs": [
            {"before": before, "after": after, "count": masked_count(count),
             "label": f"{label(before)} → {label(after)}"}
            for (before, after), count in sorted(pairs.items())
        ],  # fmt: skip
        "units": sorted(
            ({"unit": names.get(unit_id, "-"), "count": masked_count(count)}
             for unit_id, count in per_unit.items()),
            key=lambda row: row["unit"],
        ),  # fmt: skip
    }
