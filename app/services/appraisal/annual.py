"""The annual result (evaluasi kinerja tahunan) derived from the year's periodic results.

PermenPANRB 6/2022 evaluates performance periodically and annually; the annual predikat is not
an average of the periodic ones but the result of the year's last periodic evaluation (the one
ending on the last day of the year: Desember, Triwulan IV "akhir", Semester II), which the
pejabat penilai sets on the whole year's cumulative achievement. docs/rules.md, "Hasil
tahunan", gives the reasoning and the sources. Angka kredit, earned per periodic evaluation in
proportion to its months, is summed over the year (Peraturan BKN 3/2023: 18,75 + 2,08 = 20,83).

A `tahunan` period is derived this way when the year holds closed periodic periods; a province
that evaluates only once a year rates in the annual period itself and the engine decides it.
Results are plain dicts in the engine's output shape, so closing, re-pinning and the live
evaluation store them through the same path as the engine's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import EvaluationStatus, PeriodState, label
from app.models import Employee, Evaluation, Period

RULE = "predikat-tahunan"


@dataclass(frozen=True)
class PeriodicResult:
    """One closed periodic result of the year, as the annual result reads it."""

    period_id: int
    period_name: str
    end_date: Any
    predicate: str | None
    angka_kredit: float | None
    aspects: dict[str, Any]


def periodic_periods(session: Session, period: Period) -> list[Period]:
    """The closed non-annual periods inside the annual period's dates, oldest end first."""
    return list(
        session.scalars(
            select(Period)
            .where(
                Period.kind != "tahunan",
                Period.state == PeriodState.CLOSED,
                Period.start_date >= period.start_date,
                Period.end_date <= period.end_date,
            )
            .order_by(Period.end_date, Period.id)
        )
    )


def is_derived(session: Session, period: Period) -> bool:
    """Whether this period's results come from the year's periodic results."""
    return period.kind == "tahunan" and bool(periodic_periods(session, period))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _periodic(
    session: Session, periods: Sequence[Period], ids: Sequence[int]
) -> dict[int, list[PeriodicResult]]:
    by_id = {p.id: p for p in periods}
    out: dict[int, list[PeriodicResult]] = defaultdict(list)
    rows = session.execute(
        select(
            Evaluation.employee_id,
            Evaluation.period_id,
            Evaluation.predicate,
            Evaluation.override_predicate,
            Evaluation.result,
        ).where(Evaluation.period_id.in_(list(by_id)), Evaluation.employee_id.in_(list(ids)))
    )
    for employee_id, period_id, predicate, override, result in rows:
        period = by_id[period_id]
        result = result or {}
        consequences = result.get("consequences") or {}
        out[employee_id].append(
            PeriodicResult(
                period_id=period_id,
                period_name=period.name,
                end_date=period.end_date,
                predicate=override or predicate,
                angka_kredit=_number(consequences.get("angka_kredit")),
                aspects=dict(result.get("aspects") or {}),
            )
        )
    for results in out.values():
        results.sort(key=lambda r: (r.end_date, r.period_id))
    return out


def _step(text: str) -> dict[str, Any]:
    return {"rule": RULE, "stage": "tahunan", "text": text}


def annual_result(period: Period, nip: str, periodic: Sequence[PeriodicResult]) -> dict[str, Any]:
    """One employee's annual result from their periodic results of the year (oldest first)."""
    credits = [r.angka_kredit for r in periodic if r.angka_kredit is not None]
    angka_kredit = round(sum(credits), 2) if credits else None
    rated = [r for r in periodic if r.predicate is not None]
    last = rated[-1] if rated else None
    result: dict[str, Any] = {
        "nip": nip,
        "status": EvaluationStatus.INCOMPLETE,
        "predicate": None,
        "aspects": {},
        "awards": [],
        "training": [],
        "consequences": {"angka_kredit": angka_kredit},
        "fired": [],
        "periodic": [
            {
                "period_id": r.period_id,
                "period": r.period_name,
                "predicate": r.predicate,
                "angka_kredit": r.angka_kredit,
            }
            for r in periodic
        ],
    }
    steps = []
    if credits:
        parts = " + ".join(f"{c:.2f}".replace(".", ",") for c in credits)
        total = f"{angka_kredit:.2f}".replace(".", ",")
        steps.append(_step(f"Angka kredit tahun ini: {parts} = {total}."))
    if last is None:
        result["message"] = "Belum ada hasil evaluasi periodik tahun ini."
    elif last.end_date != period.end_date:
        result["message"] = (
            f"Predikat tahunan mengikuti evaluasi periodik akhir tahun (berakhir "
            f"{period.end_date:%d/%m/%Y}); hasil terakhir yang ada: {last.period_name}."
        )
    else:
        # The aspect levels are the year-end ones; the angka kredit percentage is not carried
        # over: the year's angka kredit is the periods' sum, not that percentage of anything.
        result.update(
            status=EvaluationStatus.COMPLETE,
            predicate=last.predicate,
            aspects=last.aspects,
            fired=[RULE],
        )
        steps.insert(
            0,
            _step(
                f"Predikat tahunan mengikuti evaluasi periodik akhir tahun ({last.period_name}): "
                f"{label(last.predicate)}."
            ),
        )
    result["explanation"] = steps
    return result


def annual_results(
    session: Session, period: Period, employee_ids: Sequence[int]
) -> list[dict[str, Any]]:
    """Annual results for these employees, in ascending id order (as the engine's are)."""
    ids = sorted(employee_ids)
    nips = dict(
        session.execute(select(Employee.id, Employee.nip).where(Employee.id.in_(ids))).all()
    )
    periodic = _periodic(session, periodic_periods(session, period), ids)
    return [annual_result(period, nips[i], periodic.get(i, [])) for i in ids]
