"""Background work in chunks: the one primitive behind closing, re-pinning and simulating.

A job is claimed in the database (one run per period and kind of work), then started: its kind
splits it into chunks of employee ids, stored as rows. Each chunk is run by whoever is handed it
(a Celery worker, or this process for the command line) and is idempotent: it reads committed
facts, decides, upserts its results and marks itself done in one transaction, counting once
however often it is delivered. The job finishes, in one more transaction, when its last chunk
is done. Killed anywhere, the database holds whole chunks only; running the pending chunks
again, on any machine, ends with the results of an uninterrupted run.

The kinds live beside their use cases (`close`, `ruleset_versions`, `simulation`, `imports`,
`reports`) and register here; this module knows nothing of Celery.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, Update, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.enums import ChunkState, JobKind, JobState, label
from app.models import Job, JobChunk, Period
from app.models.base import utcnow
from app.services.actor import Actor
from app.services.errors import Conflict

#: A chunk as planned: its employee ids and what else it needs (or None).
PlannedChunk = tuple[list[int], dict[str, Any] | None]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Kind:
    """What a kind of job does at each step.

    `plan` lists the chunks (called once, when the job starts); `run_chunk` decides and writes
    one chunk without committing and returns what the chunk found (stored on the chunk row);
    `finish` runs in the transaction that marks the job done.
    """

    name: str
    plan: Callable[[Session, Job], Iterable[PlannedChunk]]
    run_chunk: Callable[[Session, Job, JobChunk], dict[str, Any] | None]
    finish: Callable[[Session, Job], None]


_KINDS: dict[str, Kind] = {}
#: Where each kind registers itself: imported on first use, so a worker needs no list.
_HOMES: dict[str, str] = {
    JobKind.TUTUP: "app.services.appraisal.close",
    JobKind.GANTI_ATURAN: "app.services.authoring.ruleset_versions",
    JobKind.SIMULASI: "app.services.authoring.simulation",
    JobKind.IMPOR: "app.services.people.imports",
    JobKind.LAPORAN: "app.services.reports.reports",
}


def register(kind: Kind) -> Kind:
    _KINDS[kind.name] = kind
    return kind


def kind_of(name: str) -> Kind:
    if name not in _KINDS:
        importlib.import_module(_HOMES[name])
    return _KINDS[name]


def actor_data(actor: Actor) -> dict[str, Any]:
    """The actor as JSON, so that the job's audit record names the person who started it."""
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "roles": sorted(actor.roles),
        "employee_id": actor.employee_id,
    }


def job_actor(job: Job) -> Actor:
    data = job.actor or {}
    return Actor(
        data.get("user_id"),
        data.get("username", "system"),
        frozenset(data.get("roles", ())),
        data.get("employee_id"),
    )


class JobRunning(Conflict):
    """The same work is already queued or running; `job` is that run."""

    def __init__(self, message: str, job: Job) -> None:
        super().__init__(message)
        self.job = job


def running_message(session: Session, job: Job) -> str:
    """What is running and how far it got, e.g. *Penutupan periode 'X' sedang berjalan: 1.200
    dari 40.000 (3%).*"""
    what = label(job.kind)
    if job.period_id is not None:
        period = session.get(Period, job.period_id)
        what += f" '{period.name}'" if period else ""
    if job.state == JobState.QUEUED:
        return f"{what} sudah diminta dan menunggu giliran; tunggu hingga selesai."
    progress = f"{_number(job.done)} dari {_number(job.total)} ({percent(job)}%)"
    return f"{what} sedang berjalan: {progress}. Tunggu hingga selesai."


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def percent(job: Job) -> int:
    if job.state == JobState.DONE:
        return 100
    return int(100 * job.done / job.total) if job.total else 0


def claim(
    session: Session,
    kind: str,
    key: str,
    actor: Actor,
    *,
    period_id: int | None = None,
    params: dict[str, Any] | None = None,
    file_name: str | None = None,
    file_data: bytes | None = None,
) -> Job:
    """Add a queued job holding `key`, or raise `JobRunning` naming the run that holds it.

    The key is a unique column, so two requests at the same moment (two browsers, two
    machines) cannot both insert it: the later insert fails in the database. No commit: the
    caller commits the claim together with whatever the job's start changes (a new pin).
    """
    job = Job(
        kind=kind,
        claim=key,
        state=JobState.QUEUED,
        period_id=period_id,
        params=params or {},
        actor=actor_data(actor),
        total=0,
        done=0,
        chunks_total=0,
        chunks_done=0,
        file_name=file_name,
        file_data=file_data,
    )
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:
        holder = session.scalar(select(Job).where(Job.claim == key))
        if holder is None:  # it ended between the insert and this read: try once more
            return claim(
                session,
                kind,
                key,
                actor,
                period_id=period_id,
                params=params,
                file_name=file_name,
                file_data=file_data,
            )
        raise JobRunning(running_message(session, holder), holder) from None
    return job


def active(session: Session, key: str) -> Job | None:
    """The queued or running job holding `key`, if any."""
    return session.scalar(select(Job).where(Job.claim == key))


def _changed(session: Session, statement: Update) -> int:
    """How many rows an UPDATE changed: the session answers one with a CursorResult, which its
    declared return type (any Result) does not say."""
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def existing(session: Session, job_id: int) -> Job:
    """A job the caller knows exists (it has just created or updated it)."""
    job = session.get(Job, job_id)
    if job is None:
        raise LookupError(f"Job {job_id} does not exist.")
    return job


def period_of(job: Job) -> int:
    """The id of the period a job works on, for the kinds that always have one (close,
    re-pin, simulation)."""
    if job.period_id is None:
        raise ValueError(f"Job {job.id} ({job.kind}) names no period.")
    return job.period_id


def start(session: Session, job_id: int) -> list[int]:
    """Plan a queued job into chunk rows and mark it running (once, however often called);
    return the sequence numbers of its chunks not yet done. Commits."""
    job = session.get(Job, job_id)
    if job is None or job.state in (JobState.DONE, JobState.FAILED):
        return []
    if job.state == JobState.QUEUED:
        kind = kind_of(job.kind)
        planned = list(kind.plan(session, job))
        taken = _changed(
            session,
            update(Job)
            .where(Job.id == job_id, Job.state == JobState.QUEUED)
            .values(
                state=JobState.RUNNING,
                started_at=utcnow(),
                chunks_total=len(planned),
                total=sum(max(len(ids), 1) for ids, _ in planned),
            ),
        )
        if taken != 1:  # another delivery of the same start planned it first
            session.rollback()
        else:
            session.add_all(
                JobChunk(
                    job_id=job_id,
                    seq=seq,
                    employee_ids=ids,
                    payload=payload,
                    state=ChunkState.PENDING,
                )
                for seq, (ids, payload) in enumerate(planned)
            )
            session.commit()
    return list(
        session.scalars(
            select(JobChunk.seq)
            .where(JobChunk.job_id == job_id, JobChunk.state == ChunkState.PENDING)
            .order_by(JobChunk.seq)
        )
    )


def run_chunk(session: Session, job_id: int, seq: int) -> bool:
    """Decide and store one chunk, and count it once. Commits. False when there was nothing
    to do (already done by an earlier delivery, or the job ended)."""
    job = session.get(Job, job_id)
    chunk = session.scalar(select(JobChunk).where(JobChunk.job_id == job_id, JobChunk.seq == seq))
    if (
        job is None
        or chunk is None
        or job.state != JobState.RUNNING
        or chunk.state == ChunkState.DONE
    ):
        return False
    found = kind_of(job.kind).run_chunk(session, job, chunk)
    marked = _changed(
        session,
        update(JobChunk)
        .where(JobChunk.id == chunk.id, JobChunk.state == ChunkState.PENDING)
        .values(state=ChunkState.DONE, result=found, done_at=utcnow()),
    )
    if marked != 1:  # a duplicate delivery stored the same results first
        session.rollback()
        return False
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(done=Job.done + max(len(chunk.employee_ids), 1), chunks_done=Job.chunks_done + 1)
    )
    session.commit()
    return True


def finish(session: Session, job_id: int) -> bool:
    """Finish the job when all its chunks are done (once, however often called). Commits."""
    session.expire_all()
    taken = _changed(
        session,
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.RUNNING, Job.chunks_done == Job.chunks_total)
        .values(state=JobState.DONE, claim=None, finished_at=utcnow()),
    )
    if taken != 1:
        session.rollback()
        return False
    job = existing(session, job_id)
    try:
        kind_of(job.kind).finish(session, job)
        session.commit()
    except Exception:
        session.rollback()
        raise
    return True


def fail(session: Session, job_id: int, message: str) -> None:
    """End a job as failed with a message for its page, releasing its claim. Commits."""
    session.rollback()
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state.in_((JobState.QUEUED, JobState.RUNNING)))
        .values(
            state=JobState.FAILED, claim=None, error=message, finished_at=utcnow(), file_data=None
        )
    )
    session.commit()


def run_inline(session: Session, job_id: int, progress: Progress | None = None) -> Job:
    """Run a job to its end in this process, chunk after chunk (the command line's path; a
    job left pending by a killed worker or command resumes here too)."""
    for seq in start(session, job_id):
        run_chunk(session, job_id, seq)
        if progress:
            job = existing(session, job_id)
            progress(job.done, job.total)
    finish(session, job_id)
    session.expire_all()
    return existing(session, job_id)


def unfinished(session: Session) -> list[Job]:
    """Jobs a worker should look at when it starts: queued or running."""
    return list(
        session.scalars(
            select(Job).where(Job.state.in_((JobState.QUEUED, JobState.RUNNING))).order_by(Job.id)
        )
    )


def pending_chunks(session: Session, job_id: int) -> list[int]:
    return list(
        session.scalars(
            select(JobChunk.seq)
            .where(JobChunk.job_id == job_id, JobChunk.state == ChunkState.PENDING)
            .order_by(JobChunk.seq)
        )
    )


def latest(session: Session, period_id: int, kinds: tuple[str, ...]) -> Job | None:
    """The period's most recent job of these kinds."""
    return session.scalar(
        select(Job)
        .where(Job.period_id == period_id, Job.kind.in_(kinds))
        .order_by(Job.id.desc())
        .limit(1)
    )


def status(session: Session, job: Job | None) -> dict[str, Any]:
    """A job's progress as the pages and the API show it (plain, Indonesian, no codes)."""
    if job is None:
        return {"state": "none", "done": 0, "total": 0, "percent": 0}
    texts: dict[str, str] = {
        JobState.QUEUED: f"{label(job.kind)} menunggu giliran diproses.",
        JobState.RUNNING: running_message(session, job),
        JobState.DONE: f"{label(job.kind)} selesai.",
        JobState.FAILED: f"{label(job.kind)} gagal: {job.error or 'sebab tidak diketahui'}",
    }
    text = texts[job.state]
    return {
        "id": job.id,
        "kind": job.kind,
        "kind_label": label(job.kind),
        "state": job.state,
        "state_label": label(job.state),
        "done": job.done,
        "total": job.total,
        "percent": percent(job),
        "message": text,
        "error": job.error,
    }


def chunked(ids: list[int], size: int) -> list[PlannedChunk]:
    """Consecutive slices of `size` ids, each without a payload."""
    return [(ids[start : start + size], None) for start in range(0, len(ids), size)]
