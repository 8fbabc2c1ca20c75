"""What-if simulation: a draft ruleset run on a period's ratings; only its answer is stored.

A policy officer sees what a change would do before it counts: the predikat distribution with
the period's pinned version ("before") and with the draft ("after"), and every employee whose
aspect level, predikat, award, training recommendation or allowance (TPP) percentage would
change, with what that does to awards (who gains, who loses each one) and to the allowance (the
sum of TPP percentages, and the band changes per component), overall and per SKPA. Both sides
are computed
from the same engine input (built once per chunk by the builder that live evaluation, closing and
re-pinning use), so the "after" side is exactly what a re-pin to the published draft stores.
It runs as a job (`jobs.py`) whose chunks each report what they found; the job adds them up in
order and keeps the summary, the changed employees and the Excel file, which the download
serves as stored. No result of the period is written. Only a period in review or closed is a
target: an open period's ratings are still being entered, so a comparison on them would say
little about the decision.
"""

from __future__ import annotations

import copy
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import (
    PREDICATES,
    EvaluationStatus,
    JobKind,
    JobState,
    PeriodState,
    RulesetStatus,
    label,
)
from app.engine import checksum, evaluate
from app.models import Employee, Job, JobChunk, Period, RuleSetVersion, Unit
from app.models.base import utcnow
from app.services import jobs
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.authoring.ruleset_versions import ensure_valid, get_version
from app.services.authoring.rulesets import engine_ruleset
from app.services.engine_input import build_inputs
from app.services.errors import Forbidden, InvalidInput
from app.services.public import confidentiality
from app.services.unit_of_work import unit_of_work

CHUNK = 2000
KIND = JobKind.SIMULASI
INCOMPLETE = EvaluationStatus.INCOMPLETE.value  # the bucket of results not yet completely rated
INVALID = EvaluationStatus.INVALID.value  # the bucket of results whose input is wrong
BUCKETS: tuple[str, ...] = (*PREDICATES, INCOMPLETE, INVALID)
TARGET_STATES = (PeriodState.REVIEW, PeriodState.CLOSED)


def bucket(outcome: dict[str, Any]) -> str:
    """The distribution's bucket of an outcome: its predikat, else why it has none."""
    if outcome["predicate"]:
        return str(outcome["predicate"])
    return INVALID if outcome.get("status") == INVALID else INCOMPLETE


def outcome(result: dict[str, Any]) -> dict[str, Any]:
    """What a simulation compares in one result: status, aspect levels, predikat, awards,
    training and the allowance (TPP) percentages (total and per component)."""
    aspects = result.get("aspects") or {}
    allowance = (result.get("consequences") or {}).get("allowance") or {}
    return {
        "status": result.get("status"),
        "predicate": result.get("predicate"),
        "levels": {name: (aspect or {}).get("level") for name, aspect in aspects.items()},
        "awards": list(result.get("awards") or []),
        "training": list(result.get("training") or []),
        "tpp": allowance.get("percent"),
        "tpp_components": dict(allowance.get("components") or {}),
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
    if before.get("tpp") != after.get("tpp"):
        fields.append("TPP")
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


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _unit_tally() -> dict[str, Any]:
    """One SKPA's effects before anything is counted (filled per employee, merged per chunk)."""
    return {
        "employees": 0,
        "changed": 0,
        "before": {},
        "after": {},
        "tpp_before": 0.0,
        "tpp_after": 0.0,
    }


@dataclass
class Effects:
    """What a change does beyond the distribution, added up over employees: who gains and who
    loses each award, the sum of TPP percentages, the TPP band changes per component, and all of
    it per SKPA. Kept as plain JSON-ready data so that chunks store it and the job adds it up."""

    awards: dict[str, dict[str, int]] = field(default_factory=dict)
    tpp: dict[str, float] = field(
        default_factory=lambda: {"before_sum": 0.0, "after_sum": 0.0, "before_n": 0, "after_n": 0}
    )
    bands: dict[str, int] = field(default_factory=dict)  # "component|before|after" -> count
    units: dict[str, dict[str, Any]] = field(default_factory=dict)  # SKPA id -> tally

    def add(
        self, old: dict[str, Any], new: dict[str, Any], skpa: int | None, changed: bool
    ) -> None:
        """One employee's two outcomes (`changed`: they differ, `_changed_fields`)."""
        for name in dict.fromkeys(old["awards"] + new["awards"]):
            row = self.awards.setdefault(name, {"before": 0, "after": 0, "gained": 0, "lost": 0})
            had, has = name in old["awards"], name in new["awards"]
            row["before"] += had
            row["after"] += has
            row["gained"] += has and not had
            row["lost"] += had and not has
        unit = self.units.setdefault(str(skpa), _unit_tally())
        unit["employees"] += 1
        unit["changed"] += changed
        for side, outcome_ in (("before", old), ("after", new)):
            key = bucket(outcome_)
            unit[side][key] = unit[side].get(key, 0) + 1
            if outcome_.get("tpp") is not None:
                self.tpp[f"{side}_sum"] += outcome_["tpp"]
                self.tpp[f"{side}_n"] += 1
                unit[f"tpp_{side}"] += outcome_["tpp"]
        before_parts, after_parts = old.get("tpp_components", {}), new.get("tpp_components", {})
        for component in dict.fromkeys([*before_parts, *after_parts]):
            b, a = before_parts.get(component), after_parts.get(component)
            if b != a:
                key = f"{component}|{_percent(b)}|{_percent(a)}"
                self.bands[key] = self.bands.get(key, 0) + 1

    def merge(self, other: dict[str, Any]) -> None:
        """Add a chunk's stored effects (`as_json`)."""
        for name, row in other["awards"].items():
            mine = self.awards.setdefault(name, {"before": 0, "after": 0, "gained": 0, "lost": 0})
            for key, n in row.items():
                mine[key] += n
        for key, value in other["tpp"].items():
            self.tpp[key] += value
        for key, n in other["bands"].items():
            self.bands[key] = self.bands.get(key, 0) + n
        for skpa, row in other["units"].items():
            tally = self.units.setdefault(skpa, _unit_tally())
            for key in ("employees", "changed", "tpp_before", "tpp_after"):
                tally[key] += row[key]
            for side in ("before", "after"):
                for bucket_key, n in row[side].items():
                    tally[side][bucket_key] = tally[side].get(bucket_key, 0) + n

    def as_json(self) -> dict[str, Any]:
        return {"awards": self.awards, "tpp": self.tpp, "bands": self.bands, "units": self.units}

    def summary(self, unit_names: dict[int, str]) -> dict[str, Any]:
        """The effects for the answer: lists in a stable order, sums rounded, SKPA named."""
        tpp = self.tpp
        return {
            "awards": [{"award": name, **row} for name, row in sorted(self.awards.items())],
            "tpp": {
                "before_sum": round(tpp["before_sum"], 2),
                "after_sum": round(tpp["after_sum"], 2),
                "before_n": int(tpp["before_n"]),
                "after_n": int(tpp["after_n"]),
            },
            "bands": [
                {"component": c, "before": b, "after": a, "count": n}
                for (c, b, a), n in sorted(
                    (tuple(key.split("|")), n) for key, n in self.bands.items()
                )
            ],
            "units": sorted(
                (
                    {
                        "unit": unit_names.get(int(skpa), "-") if skpa.isdigit() else "-",
                        "employees": row["employees"],
                        "changed": row["changed"],
                        "before": {key: row["before"].get(key, 0) for key in BUCKETS},
                        "after": {key: row["after"].get(key, 0) for key in BUCKETS},
                        "tpp_before": round(row["tpp_before"], 2),
                        "tpp_after": round(row["tpp_after"], 2),
                    }
                    for skpa, row in self.units.items()
                ),
                key=lambda row: row["unit"],
            ),
        }


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
    # the effects' summary (`Effects.summary`): awards, tpp, bands, units
    effects: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """Plain data for the API: counts per bucket, the effects and the changes."""
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
            # copies: a reader's answer is narrowed in place (`answer_for`)
            "awards": copy.deepcopy(self.effects.get("awards", [])),
            "tpp": dict(self.effects.get("tpp", {})),
            "bands": copy.deepcopy(self.effects.get("bands", [])),
            "units": copy.deepcopy(self.effects.get("units", [])),
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
        name=name, number=0, yaml_text=text, checksum=checksum(text), status=RulesetStatus.DRAFT
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
    effects: Effects = field(default_factory=Effects)


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
        before = evaluate(before_rs, inputs, explain=False, bulk=True)
        after = evaluate(after_rs, inputs, explain=False, bulk=True)
        skpa = confidentiality.skpa_of(session, chunk)
        pending: list[tuple[int, dict[str, Any], dict[str, Any], list[str]]] = []
        for employee_id, old, new in zip(chunk, before, after, strict=True):
            old_outcome, new_outcome = outcome(old), outcome(new)
            tally.before_counts[bucket(old_outcome)] += 1
            tally.after_counts[bucket(new_outcome)] += 1
            fields = _changed_fields(old_outcome, new_outcome)
            tally.effects.add(old_outcome, new_outcome, skpa.get(employee_id), bool(fields))
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


def ensure_target(period: Period) -> None:
    """Only a period in review or closed is simulated: its ratings are (nearly) all in."""
    if period.state not in TARGET_STATES:
        raise InvalidInput(
            f"Periode '{period.name}' berstatus {label(period.state)}: simulasi hanya dapat "
            "dijalankan pada periode yang sedang Peninjauan atau sudah Ditutup, karena "
            "penilaiannya sudah lengkap. Selama periode dibuka, penilaian masih berubah.",
            field="period_id",
        )


def require_officer(actor: Actor) -> None:
    """Simulations, and their stored answers, are for policy officers (and Admin) only."""
    if not actor.is_policy_officer:
        raise Forbidden("Hanya Perumus Kebijakan atau Admin yang dapat menjalankan simulasi.")


@unit_of_work()
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
    ensure_target(period)
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
    params = {
        "version_id": version_id,
        "before_name": str(before_version),
        "after_name": after_name,
        "before_text": before_version.yaml_text,
        "after_text": after_text,
        "chunk_size": chunk_size,
    }
    try:
        job = jobs.claim(session, KIND, key, actor, period_id=period.id, params=params)
    except jobs.JobRunning as running:
        return running.job
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
    job = request_simulation(
        session, actor, period_id, version_id=version_id, text=text, chunk_size=chunk_size
    )
    job = jobs.run_inline(session, job.id)
    if job.state != JobState.DONE:
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
        .where(Job.kind == KIND, Job.period_id == period_id, Job.state == JobState.DONE)
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
        .where(Job.kind == KIND, Job.state == JobState.DONE)
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
    if job is not None and job.state != JobState.FAILED:
        period = periods.get_period(session, period_id)
        before = periods.pinned_or_latest(session, period)
        version = get_version(session, version_id)
        if (
            before is not None
            and job.params.get("before_text") == before.yaml_text
            and (job.params.get("after_text") == version.yaml_text)
        ):
            return job, False
    return request_simulation(session, actor, period_id, version_id=version_id), True


def stored_simulation(job: Job) -> Simulation:
    """The finished job's answer, as stored (nothing is recomputed)."""
    data = job.result or {}
    report = Simulation(
        data["period_id"] if "period_id" in data else jobs.period_of(job),
        data.get("period", ""),
        data.get("before_version", ""),
        data.get("after_version", ""),
        employees=data.get("employees", 0),
        before_counts=Counter(data.get("before", {})),
        after_counts=Counter(data.get("after", {})),
        seconds=data.get("seconds", 0.0),
        effects={
            key: data.get(key, [] if key != "tpp" else {})
            for key in ("awards", "tpp", "bands", "units")
        },
    )
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
    period = periods.get_period(session, jobs.period_of(job))
    before_rs = engine_ruleset(session, draft_version(job.params["before_text"]))
    after_rs = engine_ruleset(session, draft_version(job.params["after_text"]))
    tally = _run(session, period, before_rs, after_rs, [chunk.employee_ids])
    return {
        "employees": tally.employees,
        "before": dict(tally.before_counts),
        "after": dict(tally.after_counts),
        "effects": tally.effects.as_json(),
        "changes": [vars(change) for change in tally.changes],
    }


def _finish(session: Session, job: Job) -> None:
    """Add the chunks up in order, store the summary and the Excel file on the job."""
    period = periods.get_period(session, jobs.period_of(job))
    report = Simulation(period.id, period.name, job.params["before_name"], job.params["after_name"])
    effects = Effects()
    for found in session.scalars(
        select(JobChunk.result).where(JobChunk.job_id == job.id).order_by(JobChunk.seq)
    ):
        report.employees += found["employees"]
        report.before_counts.update(found["before"])
        report.after_counts.update(found["after"])
        report.changes.extend(Change(**change) for change in found["changes"])
        effects.merge(found["effects"])
    report.effects = effects.summary(dict(session.execute(select(Unit.id, Unit.name)).all()))
    if job.started_at is not None:
        report.seconds = (utcnow() - job.started_at).total_seconds()
    job.result = report.summary()
    job.file_name = f"simulasi-periode-{period.id}-{job.id}.xlsx"
    job.file_data = workbook(report)


jobs.register(jobs.Kind(KIND, _plan, _run_chunk, _finish))


def answer_for(session: Session, actor: Actor, report: Simulation) -> dict[str, Any]:
    """The simulation as `actor` may read it (`app.services.public.confidentiality`):
    Kepegawaian and Admin get every changed employee; anyone else (a Perumus) gets aggregates
    only — the distribution, the changes counted per predikat pair, the effects on awards and
    TPP, per SKPA — with counts of fewer than five people masked (None), and never a person."""
    answer = report.summary()
    if confidentiality.sees_everything(actor):
        answer["pairs"] = confidentiality.change_pairs(report.changes, bucket, masked=False)
        return answer
    del answer["changes"]
    for side in ("before", "after"):
        answer[side] = {key: confidentiality.masked_count(n) for key, n in answer[side].items()}
    answer["employees"] = confidentiality.masked_count(answer["employees"])
    answer["pairs"] = confidentiality.change_pairs(report.changes, bucket, masked=True)
    answer["changed"] = confidentiality.masked_count(len(report.changes))
    confidentiality.masked_effects(answer)
    return answer


def _shown(count: Any) -> Any:
    """A masked count (None) or withheld sum as the Excel file writes it."""
    return "< 5" if count is None else count


def _effect_sheets(book: Workbook, answer: dict[str, Any]) -> None:
    """The sheets on awards, TPP and SKPA that both Excel files share."""
    effects = book.create_sheet("Penghargaan dan TPP")
    effects.append(["Penghargaan", "Sebelum", "Sesudah", "Mendapat", "Kehilangan"])
    for row in answer["awards"]:
        effects.append(
            [row["award"], *(_shown(row[k]) for k in ("before", "after", "gained", "lost"))]
        )
    tpp = answer["tpp"]
    effects.append([])
    effects.append(["TPP", "Sebelum", "Sesudah"])
    effects.append(["Jumlah persentase TPP", _shown(tpp["before_sum"]), _shown(tpp["after_sum"])])
    effects.append(
        ["Pegawai dengan persentase TPP", _shown(tpp["before_n"]), _shown(tpp["after_n"])]
    )
    effects.append([])
    effects.append(["Komponen TPP", "Persentase sebelum", "Persentase sesudah", "Pegawai"])
    for row in answer["bands"]:
        effects.append([label(row["component"]), row["before"], row["after"], _shown(row["count"])])
    units = book.create_sheet("Per SKPA")
    units.append(
        [
            "SKPA",
            "Pegawai",
            "Pegawai yang berubah",
            *(f"{label(k)} sebelum" for k in BUCKETS),
            *(f"{label(k)} sesudah" for k in BUCKETS),
            "Jumlah % TPP sebelum",
            "Jumlah % TPP sesudah",
        ]
    )
    for unit in answer["units"]:
        units.append(
            [
                unit["unit"],
                _shown(unit["employees"]),
                _shown(unit["changed"]),
                *(_shown(unit["before"][k]) for k in BUCKETS),
                *(_shown(unit["after"][k]) for k in BUCKETS),
                _shown(unit["tpp_before"]),
                _shown(unit["tpp_after"]),
            ]
        )


def aggregate_workbook(answer: dict[str, Any]) -> bytes:
    """An aggregate simulation answer (`answer_for` without persons) as an Excel file."""
    book = Workbook(write_only=True)
    summary = book.create_sheet("Ringkasan")
    for row in (
        ["Periode", answer["period"]],
        ["Versi berlaku (sebelum)", answer["before_version"]],
        ["Versi simulasi (sesudah)", answer["after_version"]],
        ["Jumlah pegawai", _shown(answer["employees"])],
        ["Pegawai yang berubah", _shown(answer["changed"])],
        [],
        ["Predikat", "Sebelum", "Sesudah"],
    ):
        summary.append(row)
    for key in BUCKETS:
        summary.append([label(key), _shown(answer["before"][key]), _shown(answer["after"][key])])
    pairs = book.create_sheet("Perubahan predikat")
    pairs.append(["Predikat sebelum", "Predikat sesudah", "Jumlah pegawai"])
    for pair in answer["pairs"]:
        pairs.append([label(pair["before"]), label(pair["after"]), _shown(pair["count"])])
    _effect_sheets(book, answer)
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
            "% TPP sebelum",
            "% TPP sesudah",
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
                label(bucket(b)),
                label(bucket(a)),
                _levels_text(b["levels"]),
                _levels_text(a["levels"]),
                "; ".join(b["awards"]),
                "; ".join(a["awards"]),
                "; ".join(b["training"]),
                "; ".join(a["training"]),
                b.get("tpp"),
                a.get("tpp"),
            ]
        )
    _effect_sheets(book, report.summary())
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
