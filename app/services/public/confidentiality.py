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
   distribution, counts of changes per predikat pair, award and TPP band, and all of it per
   SKPA; small counts masked, sums of TPP percentages over fewer than 5 people withheld;
   never a person.

The web layer (panel, API, PDF, exports) calls these functions where it reads results, so a
new screen that reads results through them follows the rule too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.domain.enums import RaterKind, RatingState, label
from app.engine import evaluate
from app.models import Employee, Evaluation, Period, PublicFeedback, Rating, Unit
from app.services.actor import Actor
from app.services.authoring.rulesets import engine_ruleset
from app.services.engine_input import build_inputs

MIN_ANSWERS = 3
MIN_GROUP = 5
INPUT_KINDS: tuple[str, ...] = (RaterKind.PEER, RaterKind.PUBLIC)
NOTE: dict[str, str] = {
    RaterKind.PEER: f"Masukan rekan kerja ditampilkan setelah minimal {MIN_ANSWERS} rekan menjawab",
    RaterKind.PUBLIC: f"Masukan masyarakat ditampilkan setelah minimal {MIN_ANSWERS} tanggapan",
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
    counts: dict[int, dict[str, int]] = defaultdict(
        lambda: {RaterKind.PEER: 0, RaterKind.PUBLIC: 0}
    )
    ids = list(employee_ids)
    if not ids:
        return counts
    for ratee, peers in session.execute(
        select(Rating.ratee_id, func.count(func.distinct(Rating.rater_id)))
        .where(
            Rating.period_id == period.id,
            Rating.rater_kind == RaterKind.PEER,
            Rating.state == RatingState.SUBMITTED,
            Rating.ratee_id.in_(ids),
        )
        .group_by(Rating.ratee_id)
    ):
        counts[ratee][RaterKind.PEER] = int(peers)
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
        counts[employee_id][RaterKind.PUBLIC] = int(public)
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


def skpa_of(session: Session, employee_ids: Sequence[int]) -> dict[int, int | None]:
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


def change_pairs(
    changes: Sequence[Any], bucket: Callable[[dict[str, Any]], str], masked: bool
) -> list[dict[str, Any]]:
    """The predikat changes of a simulation counted per pair (before, after), employees whose
    predikat stays (a changed award or TPP percentage) left out; `masked`: counts
    of 1 to MIN_GROUP - 1 as None. `changes` are the simulation's change records (`before`
    and `after` outcomes); `bucket` names an outcome's predikat or why it has none."""
    pairs: Counter[tuple[str, str]] = Counter(
        pair
        for change in changes
        if (pair := (bucket(change.before), bucket(change.after)))[0] != pair[1]
    )
    return [
        {
            "before": before,
            "after": after,
            "count": masked_count(count) if masked else count,
            "label": f"{label(before)} → {label(after)}",
        }
        for (before, after), count in sorted(pairs.items())
    ]


def masked_effects(answer: dict[str, Any]) -> None:
    """A simulation answer's effects as anyone but Kepegawaian reads them, in place: counts of
    people masked, and sums of TPP percentages withheld (None) where fewer than MIN_GROUP
    people make them up (a sum over a handful of people reveals each one's allowance)."""
    for row in answer["awards"]:
        for key in ("before", "after", "gained", "lost"):
            row[key] = masked_count(row[key])
    for row in answer["bands"]:
        row["count"] = masked_count(row["count"])
    tpp = answer["tpp"]
    for side in ("before", "after"):
        if 0 < tpp[f"{side}_n"] < MIN_GROUP:
            tpp[f"{side}_sum"] = None
        tpp[f"{side}_n"] = masked_count(tpp[f"{side}_n"])
    for unit in answer["units"]:
        small = unit["employees"] < MIN_GROUP
        unit["employees"] = masked_count(unit["employees"])
        unit["changed"] = masked_count(unit["changed"])
        for side in ("before", "after"):
            unit[side] = {key: masked_count(n) for key, n in unit[side].items()}
            if small:
                unit[f"tpp_{side}"] = None
