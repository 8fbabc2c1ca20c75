"""Closing a period: evaluate everyone with the pinned ruleset, then freeze the period.

Closing is a job (`jobs.py`): claimed once per period, split into chunks of employees
(ascending id), each chunk deciding and upserting its employees' results in its own
transaction, the period frozen in the transaction that finishes the job. Killed at any point,
the database holds whole chunks only and the pending chunks resume (on a worker, or from the
command line); since every result depends only on the frozen facts of the period (ratings
cannot change in review), the resumed run ends with exactly the results of an uninterrupted one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.domain.enums import JobKind, JobState, PeriodState
from app.models import Job, JobChunk, Period
from app.services import audit, jobs
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.appraisal.distribution import period_findings
from app.services.appraisal.evaluations import pinned_version, results_for, stored, write_results
from app.services.engine_input import employee_id_chunks
from app.services.errors import Conflict, Forbidden, InvalidInput

DEFAULT_CHUNK = 2000
KIND = JobKind.TUTUP
#: The kinds that rewrite a period's results: one of them at a time per period.
EVALUATION_KINDS = (JobKind.TUTUP, JobKind.GANTI_ATURAN)


def evaluation_claim(period_id: int) -> str:
    """The claim shared by closing and re-pinning: both rewrite every result of the period."""
    return f"periode:{period_id}:evaluasi"


def check_can_close(session: Session, actor: Actor, period_id: int, reason: str | None) -> Period:
    """Refuse a close that cannot start; a page calls this before starting the job. Closing
    before every active employee is completely rated, or with open distribution findings,
    needs a reason."""
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat menutup periode.")
    period = periods.get_period(session, period_id)
    if period.state == PeriodState.CLOSED:
        raise Conflict(f"Periode '{period.name}' sudah ditutup.")
    running = jobs.active(session, evaluation_claim(period.id))
    if running is not None:
        raise jobs.JobRunning(jobs.running_message(session, running), running)
    if period.state != PeriodState.REVIEW:
        raise InvalidInput("Periode harus berstatus Peninjauan sebelum ditutup.", field="state")
    pinned_version(period)
    periods.require_reason_unless_ready(session, period, reason, "menutup periode")
    findings = period_findings(session, period)
    if any(unit.findings for unit in findings) and not (reason or "").strip():
        names = ", ".join(unit.name for unit in findings if unit.findings)
        raise InvalidInput(
            f"Pola distribusi predikat belum sesuai pada: {names}. Menutup periode dengan "
            "temuan terbuka wajib disertai alasan.",
            field="reason",
        )
    return period


def request_close(
    session: Session,
    actor: Actor,
    period_id: int,
    reason: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Job:
    """Claim the period's close as a queued job and commit; a worker (or `close_period`) runs
    it. A second request while one is queued or running is refused with its progress."""
    period = check_can_close(session, actor, period_id, reason)
    job = jobs.claim(
        session,
        KIND,
        evaluation_claim(period.id),
        actor,
        period_id=period.id,
        params={"reason": (reason or "").strip() or None, "chunk_size": chunk_size},
    )
    session.commit()
    return job


def close_period(
    session: Session,
    actor: Actor,
    period_id: int,
    reason: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: jobs.Progress | None = None,
) -> Job:
    """Evaluate every active employee and close the period in this process (the command
    line). A close left unfinished (its worker or command killed) is resumed, not refused."""
    running = jobs.active(session, evaluation_claim(period_id))
    if running is not None and running.kind == KIND:
        job = running
    else:
        job = request_close(session, actor, period_id, reason, chunk_size)
    job = jobs.run_inline(session, job.id, progress)
    if job.state == JobState.FAILED:
        raise InvalidInput(job.error or "Penutupan periode gagal.")
    return job


def _plan(session: Session, job: Job) -> list[jobs.PlannedChunk]:
    size = int(job.params.get("chunk_size") or DEFAULT_CHUNK)
    return [(chunk, None) for chunk in employee_id_chunks(session, chunk_size=size)]


def _run_chunk(session: Session, job: Job, chunk: JobChunk) -> dict[str, Any] | None:
    period = periods.get_period(session, jobs.period_of(job))
    version = pinned_version(period)
    ids = chunk.employee_ids
    write_results(
        session,
        period,
        ids,
        [stored(r) for r in results_for(session, period, ids, version)],
        version,
    )
    return None


def _finish(session: Session, job: Job) -> None:
    period = periods.get_period(session, jobs.period_of(job))
    if period.state != PeriodState.REVIEW:
        raise Conflict(
            f"Periode '{period.name}' tidak lagi berstatus Peninjauan; penutupan dibatalkan."
        )
    reason = job.params.get("reason")
    before = {"state": period.state}
    periods.mark_closed(session, period, reason)
    audit.record(
        session,
        jobs.job_actor(job),
        "periode.tutup",
        "period",
        period.id,
        before,
        {"state": PeriodState.CLOSED, "evaluated": job.done},
        reason,
    )


jobs.register(jobs.Kind(KIND, _plan, _run_chunk, _finish))


def job_status(session: Session, period_id: int) -> dict[str, object]:
    """Progress of the period's latest close or re-pin, for the panel's progress bar."""
    return jobs.status(session, jobs.latest(session, period_id, EVALUATION_KINDS))
