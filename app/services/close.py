"""Closing a period: evaluate everyone with the pinned ruleset, then freeze the period.

The job is streamed in chunks of employees (ascending id), one transaction per chunk that
stores the chunk's results together with the job's progress. Killed at any point, the database
holds whole chunks only, and running it again resumes after the last stored chunk; since every
result depends only on the frozen facts of the period (ratings cannot change in review), the
resumed run ends with exactly the results of an uninterrupted one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import CloseJob, Employee, Period
from app.models.base import utcnow
from app.services import audit, periods
from app.services.actor import Actor
from app.services.batch import evaluated_chunks
from app.services.distribution import period_findings
from app.services.engine_input import employee_id_chunks
from app.services.errors import Conflict, Forbidden, InvalidInput
from app.services.evaluations import pinned_version, write_results

Progress = Callable[[int, int], None]
DEFAULT_CHUNK = 2000


def open_job(session: Session, period: Period, reason: str | None) -> CloseJob:
    """The period's close job, created (or restarted after a reopen) and committed."""
    job = session.scalar(select(CloseJob).where(CloseJob.period_id == period.id))
    if job is None:
        total = session.scalar(
            select(func.count()).select_from(Employee).where(Employee.is_active.is_(True))
        )
        job = CloseJob(period_id=period.id, state="running", total=total or 0, done=0,
                       last_employee_id=0, reason=reason)  # fmt: skip
        session.add(job)
        session.commit()
    elif job.state == "done":
        job.state, job.done, job.last_employee_id = "running", 0, 0  # a reopened period
        session.commit()
    return job


def check_can_close(
    session: Session, actor: Actor, period_id: int, reason: str | None
) -> Period:
    """Refuse a close that cannot start; a page calls this before starting the job. Closing
    before every active employee is completely rated, or with open distribution findings,
    needs a reason."""
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat menutup periode.")
    period = periods.get_period(session, period_id)
    if period.state == "closed":
        raise Conflict(f"Periode '{period.name}' sudah ditutup.")
    if period.state != "review":
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


def close_period(
    session: Session,
    actor: Actor,
    period_id: int,
    reason: str | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    progress: Progress | None = None,
) -> CloseJob:
    """Evaluate every active employee and close the period (resuming an interrupted run)."""
    period = check_can_close(session, actor, period_id, reason)
    version = pinned_version(period)
    reason = (reason or "").strip() or None
    job = open_job(session, period, reason)
    chunks = employee_id_chunks(session, after_id=job.last_employee_id, chunk_size=chunk_size)
    remaining = max(job.total - job.done, 0)
    for chunk, results in evaluated_chunks(session, period, version, chunks, remaining):
        write_results(session, period, chunk, results, version)
        job.done += len(chunk)
        job.last_employee_id = chunk[-1]
        session.commit()
        if progress:
            progress(job.done, job.total)
    before = {"state": period.state}
    periods.mark_closed(session, period, reason)
    job.state = "done"
    job.finished_at = utcnow()
    audit.record(session, actor, "periode.tutup", "period", period.id, before,
                 {"state": "closed", "evaluated": job.done}, reason)  # fmt: skip
    session.commit()
    return job


def job_status(session: Session, period_id: int) -> dict[str, object]:
    """Progress for the panel's progress bar."""
    job = session.scalar(select(CloseJob).where(CloseJob.period_id == period_id))
    if job is None:
        return {"state": "none", "done": 0, "total": 0}
    return {"state": job.state, "done": job.done, "total": job.total, "error": job.error}
