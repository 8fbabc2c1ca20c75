"""What-if simulation: a draft ruleset run on a period's ratings; only its answer is stored.

A policy officer sees what a change would do before it counts: the predikat distribution with
the period's pinned version ("before") and with the draft ("after"), and every employee whose
aspect level, predikat, award or training recommendation would change. Both sides are computed
from the same engine input (built once per chunk by the builder that live evaluation, closing and
re-pinning use), so the "after" side is exactly what a re-pin to the published draft stores.
It runs as a job (`jobs.py`) whose chunks each report what they found; the job adds them up in
order and keeps the summary, the changed employees and the Excel file, which the download
serves as stored. No result of the period is written; the period may be open, in review or
closed.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import PREDICATES, label
from app.engine import evaluate
from app.models import Employee, Job, JobChunk, Period, RuleSetVersion, Unit
from app.models.base import utcnow
from app.services import confidentiality, jobs, periods
from app.services.actor import Actor
from app.services.engine_input import build_inputs
from app.services.errors import Forbidden, InvalidInput
from app.services.ruleset_versions import ensure_valid, get_version
from app.services.rulesets import engine_ruleset
from app.services.setup import checksum

CHUNK = 2000
KIND = "simulasi"
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


def require_officer(actor: Actor) -> None:
    """Simulations, and their stored answers, are for policy officers (and Admin) only."""
    if not actor.is_policy_officer:
        raise Forbidden("Hanya Perumus Kebijakan atau Admin yang dapat menjalankan simulasi.")


def request_simulation(
    session: Session,
    actor: Actor,
    period_id: int,
    *,
    version_id: int | None = None,
    text: str | None = None,
    chunk_size: int = CHUNK,
) -> Job:
    """Queue a version (or an unsaved text) to run on a period's active employees next to the
    period's pinned one; commits. The same simulation already queued or running is returned
    instead of a second one.

    The text is validated first (an invalid draft is refused with its located issues). Both
    texts are kept on the job, so that what it computes is what was asked, whatever is
    published meanwhile.
    """
    require_officer(actor)
    period = periods.get_period(session, period_id)
    if text is not None:
        ensure_valid(session, text)
        after_text, after_name = text, "teks yang disunting"
    elif version_id is not None:
        after_version = get_version(session, version_id)
        ensure_valid(session, after_version.yaml_text)
        after_text, after_name = after_version.yaml_text, str(after_version)
    else:
        raise InvalidInput("Pilih versi aturan atau kirim teks aturan untuk disimulasikan.")
    before_version = periods.pinned_or_latest(session, period)
    if before_version is None:
        raise InvalidInput("Belum ada versi aturan yang berlaku untuk dibandingkan.")
    key = f"periode:{period.id}:simulasi:{before_version.checksum}:{checksum(after_text)}"
    params = {"version_id": version_id, "before_name": str(before_version),
              "after_name": after_name, "before_text": before_version.yaml_text,
              "after_text": after_text, "chunk_size": chunk_size}  # fmt: skip
    try:
        job = jobs.claim(session, KIND, key, actor, period_id=period.id, params=params)
    except jobs.JobRunning as running:
        return running.job
    session.commit()
    return job


def simulate(
    session: Session,
    actor: Actor,
    period_id: int,
    *,
    version_id: int | None = None,
    text: str | None = None,
    chunk_size: int = CHUNK,
) -> Simulation:
    """`request_simulation` run to its end in this process (the command line and tests)."""
    job = request_simulation(session, actor, period_id, version_id=version_id, text=text,
                             chunk_size=chunk_size)  # fmt: skip
    job = jobs.run_inline(session, job.id)
    if job.state != "done":
        raise InvalidInput(job.error or "Simulasi gagal.")
    return stored_simulation(job)


def latest_for(session: Session, period_id: int, version_id: int) -> Job | None:
    """The newest simulation of this version on this period (any state), if one was run."""
    for job in session.scalars(
        select(Job)
        .where(Job.kind == KIND, Job.period_id == period_id)
        .order_by(Job.id.desc())
        .limit(50)
    ):
        if job.params.get("version_id") == version_id:
            return job
    return None


def latest_finished(session: Session, period_id: int, version_id: int) -> Job | None:
    """The newest finished simulation of this version on this period."""
    for job in session.scalars(
        select(Job)
        .where(Job.kind == KIND, Job.period_id == period_id, Job.state == "done")
        .order_by(Job.id.desc())
        .limit(50)
    ):
        if job.params.get("version_id") == version_id:
            return job
    return None


def newest_finished(session: Session, version_id: int) -> Job | None:
    """The newest finished simulation of this version's current text on any period (for the
    publish confirmation's headline); None when none was run since the text last changed."""
    version = get_version(session, version_id)
    for job in session.scalars(
        select(Job)
        .where(Job.kind == KIND, Job.state == "done")
        .order_by(Job.id.desc())
        .limit(200)
    ):
        params = job.params or {}
        if params.get("version_id") == version_id:
            return job if params.get("after_text") == version.yaml_text else None
    return None


def current_or_request(
    session: Session, actor: Actor, period_id: int, version_id: int
) -> tuple[Job, bool]:
    """The newest simulation of this version on this period while it still compares the same
    two texts (and did not fail), else a newly queued one; the flag says it was queued now."""
    require_officer(actor)
    job = latest_for(session, period_id, version_id)
    if job is not None and job.state != "failed":
        period = periods.get_period(session, period_id)
        before = periods.pinned_or_latest(session, period)
        version = get_version(session, version_id)
        if before is not None and job.params.get("before_text") == before.yaml_text and (
            job.params.get("after_text") == version.yaml_text
        ):
            return job, False
    return request_simulation(session, actor, period_id, version_id=version_id), True


def stored_simulation(job: Job) -> Simulation:
    """The finished job's answer, as stored (nothing is recomputed)."""
    data = job.result or {}
    report = Simulation(
        data.get("period_id", job.period_id), data.get("period", ""),
        data.get("before_version", ""), data.get("after_version", ""),
        employees=data.get("employees", 0), before_counts=Counter(data.get("before", {})),
        after_counts=Counter(data.get("after", {})), seconds=data.get("seconds", 0.0),
    )  # fmt: skip
    report.changes = [Change(**change) for change in data.get("changes", [])]
    return report


def _plan(session: Session, job: Job) -> list[jobs.PlannedChunk]:
    ids = list(
        session.scalars(
            select(Employee.id).where(Employee.is_active.is_(True)).order_by(Employee.id)
        )
    )
    return jobs.chunked(ids, int(job.params.get("chunk_size") or CHUNK))


def _run_chunk(session: Session, job: Job, chunk: JobChunk) -> dict[str, Any]:
    """Both texts on the chunk's input; what it found, as JSON for the chunk row."""
    period = periods.get_period(session, job.period_id)
    before_rs = engine_ruleset(session, draft_version(job.params["before_text"]))
    after_rs = engine_ruleset(session, draft_version(job.params["after_text"]))
    tally = _run(session, period, before_rs, after_rs, [chunk.employee_ids])
    return {
        "employees": tally.employees,
        "before": dict(tally.before_counts),
        "after": dict(tally.after_counts),
        "changes": [vars(change) for change in tally.changes],
    }


def _finish(session: Session, job: Job) -> None:
    """Add the chunks up in order, store the summary and the Excel file on the job."""
    period = periods.get_period(session, job.period_id)
    report = Simulation(period.id, period.name, job.params["before_name"],
                        job.params["after_name"])  # fmt: skip
    for found in session.scalars(
        select(JobChunk.result).where(JobChunk.job_id == job.id).order_by(JobChunk.seq)
    ):
        report.employees += found["employees"]
        report.before_counts.update(found["before"])
        report.after_counts.update(found["after"])
        report.changes.extend(Change(**change) for change in found["changes"])
    if job.started_at is not None:
        report.seconds = (utcnow() - job.started_at).total_seconds()
    job.result = report.summary()
    job.file_name = f"simulasi-periode-{period.id}-{job.id}.xlsx"
    job.file_data = workbook(report)


jobs.register(jobs.Kind(KIND, _plan, _run_chunk, _finish))


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
