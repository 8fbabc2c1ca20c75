"""What-if simulation: a draft ruleset run on a period's ratings, stored nowhere.

A policy officer sees what a change would do before it counts: the predikat distribution with
the period's pinned version ("before") and with the draft ("after"), and every employee whose
aspect level, predikat, award or training recommendation would change. Both sides are computed
from the same engine input (built once per chunk by the builder that live evaluation, closing and
re-pinning use), so the "after" side is exactly what a re-pin to the published draft stores.
Nothing is written; the period may be open, in review or closed.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.domain.enums import PREDICATES, label
from app.engine import evaluate
from app.models import Employee, Period, RuleSetVersion, Unit
from app.services import batch, confidentiality, periods
from app.services.actor import Actor
from app.services.engine_input import build_inputs
from app.services.errors import Forbidden, InvalidInput
from app.services.ruleset_versions import ensure_valid, get_version
from app.services.rulesets import engine_ruleset
from app.services.setup import checksum

CHUNK = 2000
INCOMPLETE = "belum_lengkap"  # the distribution's bucket for results without a predikat
BUCKETS: tuple[str, ...] = (*PREDICATES, INCOMPLETE)


def outcome(result: dict[str, Any]) -> dict[str, Any]:
    """What a simulation compares in one result: aspect levels, predikat, awards, training."""
    aspects = result.get("aspects") or {}
    return {
        "predicate": result.get("predicate"),
        "levels": {name: (aspect or {}).get("level") for name, aspect in aspects.items()},
        "awards": list(result.get("awards") or []),
        "training": list(result.get("training") or []),
    }


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    fields = []
    for aspect in sorted(set(before["levels"]) | set(after["levels"])):
        if before["levels"].get(aspect) != after["levels"].get(aspect):
            fields.append(f"tingkat {label(aspect)}")
    if before["predicate"] != after["predicate"]:
        fields.append("predikat")
    if before["awards"] != after["awards"]:
        fields.append("penghargaan")
    if before["training"] != after["training"]:
        fields.append("pelatihan")
    return fields


@dataclass
class Change:
    """One employee whose outcome differs between the two versions."""

    employee_id: int
    nip: str
    name: str
    unit: str
    before: dict[str, Any]
    after: dict[str, Any]
    fields: list[str]


@dataclass
class Simulation:
    """The answer of one simulation run."""

    period_id: int
    period_name: str
    before_version: str
    after_version: str
    employees: int = 0
    before_counts: Counter = field(default_factory=Counter)
    after_counts: Counter = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Any]:
        """Plain data for the API: counts per bucket and the changes."""
        return {
            "period_id": self.period_id,
            "period": self.period_name,
            "before_version": self.before_version,
            "after_version": self.after_version,
            "employees": self.employees,
            "before": {key: self.before_counts.get(key, 0) for key in BUCKETS},
            "after": {key: self.after_counts.get(key, 0) for key in BUCKETS},
            "changed": len(self.changes),
            "seconds": round(self.seconds, 3),
            "changes": [
                {
                    "employee_id": c.employee_id,
                    "nip": c.nip,
                    "name": c.name,
                    "unit": c.unit,
                    "before": c.before,
                    "after": c.after,
                    "fields": c.fields,
                }
                for c in self.changes
            ],
        }


def draft_version(text: str, name: str = "simulasi") -> RuleSetVersion:
    """A transient version holding an unsaved text: never added to a session."""
    return RuleSetVersion(
        name=name, number=0, yaml_text=text, checksum=checksum(text), status="draft"
    )


def _people(session: Session, ids: list[int]) -> dict[int, tuple[str, str, str]]:
    if not ids:
        return {}
    rows = session.execute(
        select(Employee.id, Employee.nip, Employee.name, Unit.name)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(Employee.id.in_(ids))
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


@dataclass
class _Tally:
    """What one pass over some employees found; passes over disjoint slices add up."""

    employees: int = 0
    before_counts: Counter = field(default_factory=Counter)
    after_counts: Counter = field(default_factory=Counter)
    changes: list[Change] = field(default_factory=list)


def _run(
    session: Session,
    period: Period,
    before_rs: Any,
    after_rs: Any,
    chunks: Iterable[list[int]],
) -> _Tally:
    """Both versions on each chunk's input (built once per chunk, explanations off)."""
    tally = _Tally()
    for chunk in chunks:
        inputs = build_inputs(session, period, chunk)
        before = evaluate(before_rs, inputs, explain=False)
        after = evaluate(after_rs, inputs, explain=False)
        pending: list[tuple[int, dict[str, Any], dict[str, Any], list[str]]] = []
        for employee_id, old, new in zip(chunk, before, after, strict=True):
            old_outcome, new_outcome = outcome(old), outcome(new)
            tally.before_counts[old_outcome["predicate"] or INCOMPLETE] += 1
            tally.after_counts[new_outcome["predicate"] or INCOMPLETE] += 1
            fields = _changed_fields(old_outcome, new_outcome)
            if fields:
                pending.append((employee_id, old_outcome, new_outcome, fields))
        people = _people(session, [p[0] for p in pending])
        for employee_id, old_outcome, new_outcome, fields in pending:
            nip, name, unit = people.get(employee_id, ("", "", ""))
            tally.changes.append(
                Change(employee_id, nip, name, unit, old_outcome, new_outcome, fields)
            )
        tally.employees += len(chunk)
    return tally


def _slices(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _run_slice(
    url: str, period_id: int, texts: tuple[str, str], ids: list[int], chunk_size: int
) -> _Tally:
    """A worker process's share: its own connection, its own engine host, a contiguous slice
    of employee ids. Both texts were validated by the parent."""
    engine = create_engine(url)
    try:
        with Session(engine) as session:
            period = session.get(Period, period_id)
            before_rs, after_rs = (engine_ruleset(draft_version(text)) for text in texts)
            return _run(session, period, before_rs, after_rs, _slices(ids, chunk_size))
    finally:
        engine.dispose()


def simulate(
    session: Session,
    actor: Actor,
    period_id: int,
    *,
    version_id: int | None = None,
    text: str | None = None,
    chunk_size: int = CHUNK,
) -> Simulation:
    """Run a version (or an unsaved text) on a period's active employees next to its pinned one.

    The text is validated first (an invalid draft is refused with its located issues). Employees
    are read in chunks of `chunk_size`; each chunk's input is built once and evaluated by both
    versions. A province is split into contiguous slices decided by worker processes in
    parallel (`batch.plan`); the slices add up to exactly the one-process answer.
    """
    if not actor.is_policy_officer:
        raise Forbidden("Hanya Perumus Kebijakan atau Admin yang dapat menjalankan simulasi.")
    period = periods.get_period(session, period_id)
    if text is not None:
        ensure_valid(session, text)
        after_version = draft_version(text)
        after_name = "teks yang disunting"
    elif version_id is not None:
        after_version = get_version(session, version_id)
        ensure_valid(session, after_version.yaml_text)
        after_name = str(after_version)
    else:
        raise InvalidInput("Pilih versi aturan atau kirim teks aturan untuk disimulasikan.")
    before_version = periods.pinned_or_latest(session, period)
    if before_version is None:
        raise InvalidInput("Belum ada versi aturan yang berlaku untuk dibandingkan.")
    report = Simulation(period.id, period.name, str(before_version), after_name)
    started = time.perf_counter()
    ids = list(
        session.scalars(
            select(Employee.id).where(Employee.is_active.is_(True)).order_by(Employee.id)
        )
    )
    workers, url = batch.plan(session, len(ids))
    if url is None:
        before_rs, after_rs = engine_ruleset(before_version), engine_ruleset(after_version)
        tallies = [_run(session, period, before_rs, after_rs, _slices(ids, chunk_size))]
    else:
        texts = (before_version.yaml_text, after_version.yaml_text)
        share = -(-len(ids) // workers)
        with batch.pool(workers) as executor:
            futures = [
                executor.submit(_run_slice, url, period.id, texts, part, chunk_size)
                for part in _slices(ids, share)
            ]
            tallies = [future.result() for future in futures]
    for tally in tallies:
        report.employees += tally.employees
        report.before_counts.update(tally.before_counts)
        report.after_counts.update(tally.after_counts)
        report.changes.extend(tally.changes)
    report.seconds = time.perf_counter() - started
    return report


def answer_for(session: Session, actor: Actor, report: Simulation) -> dict[str, Any]:
    """The simulation as `actor` may read it (`app.services.confidentiality`): Kepegawaian and
    Admin get every changed employee; anyone else (a Perumus) gets aggregates only — the
    distribution, and the changes counted per predikat pair and per SKPA — with counts of
    fewer than five people masked (None), and never a person."""
    answer = report.summary()
    if confidentiality.sees_everything(actor):
        return answer
    del answer["changes"]
    for side in ("before", "after"):
        answer[side] = {key: confidentiality.masked_count(n) for key, n in answer[side].items()}
    answer["employees"] = confidentiality.masked_count(answer["employees"])
    answer.update(confidentiality.simulation_aggregates(session, report.changes, INCOMPLETE))
    answer["changed"] = confidentiality.masked_count(len(report.changes))
    return answer


def aggregate_workbook(answer: dict[str, Any]) -> bytes:
    """An aggregate simulation answer (`answer_for` without persons) as an Excel file."""
    def shown(count: int | None) -> Any:
        return "< 5" if count is None else count

    book = Workbook(write_only=True)
    summary = book.create_sheet("Ringkasan")
    for row in (["Periode", answer["period"]],
                ["Versi berlaku (sebelum)", answer["before_version"]],
                ["Versi simulasi (sesudah)", answer["after_version"]],
                ["Jumlah pegawai", shown(answer["employees"])],
                ["Pegawai yang berubah", shown(answer["changed"])], [],
                ["Predikat", "Sebelum", "Sesudah"]):  # fmt: skip
        summary.append(row)
    for key in BUCKETS:
        summary.append([label(key), shown(answer["before"][key]), shown(answer["after"][key])])
    pairs = book.create_sheet("Perubahan predikat")
    pairs.append(["Predikat sebelum", "Predikat sesudah", "Jumlah pegawai"])
    for pair in answer["pairs"]:
        pairs.append([label(pair["before"]), label(pair["after"]), shown(pair["count"])])
    units = book.create_sheet("Per SKPA")
    units.append(["SKPA", "Pegawai yang berubah"])
    for unit in answer["units"]:
        units.append([unit["unit"], shown(unit["count"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _levels_text(levels: dict[str, Any]) -> str:
    return "; ".join(f"{label(k)}: {label(v) if v else '-'}" for k, v in levels.items())


def workbook(report: Simulation) -> bytes:
    """The simulation as an Excel file: a summary sheet and one row per changed employee."""
    book = Workbook(write_only=True)
    summary = book.create_sheet("Ringkasan")
    summary.append(["Periode", report.period_name])
    summary.append(["Versi berlaku (sebelum)", report.before_version])
    summary.append(["Versi simulasi (sesudah)", report.after_version])
    summary.append(["Jumlah pegawai", report.employees])
    summary.append(["Pegawai yang berubah", len(report.changes)])
    summary.append([])
    summary.append(["Predikat", "Sebelum", "Sesudah"])
    for key in BUCKETS:
        summary.append(
            [label(key), report.before_counts.get(key, 0), report.after_counts.get(key, 0)]
        )
    sheet = book.create_sheet("Perubahan")
    sheet.append(
        [
            "NIP",
            "Nama",
            "Unit kerja",
            "Yang berubah",
            "Predikat sebelum",
            "Predikat sesudah",
            "Tingkat aspek sebelum",
            "Tingkat aspek sesudah",
            "Penghargaan sebelum",
            "Penghargaan sesudah",
            "Pelatihan sebelum",
            "Pelatihan sesudah",
        ]
    )
    for change in report.changes:
        b, a = change.before, change.after
        sheet.append(
            [
                change.nip,
                change.name,
                change.unit,
                ", ".join(change.fields),
                label(b["predicate"] or INCOMPLETE),
                label(a["predicate"] or INCOMPLETE),
                _levels_text(b["levels"]),
                _levels_text(a["levels"]),
                "; ".join(b["awards"]),
                "; ".join(a["awards"]),
                "; ".join(b["training"]),
                "; ".join(a["training"]),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
