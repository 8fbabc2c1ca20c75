"""The tasks: start a job, run one chunk, send mail, remind before deadlines.

Thin on purpose: each calls a service (`app.services.jobs`, `app.services.notifications`) that
owns the transaction; a task only decides what to queue next and what to do with a failure.
"""

from __future__ import annotations

import logging

from celery import Celery, Task
from kombu.exceptions import KombuError
from sqlalchemy.exc import OperationalError

from app.domain.enums import JobState
from app.extensions import db
from app.jobs import CHUNK, MAIL, MAIL_PENDING, REMINDERS, START
from app.services import jobs, notifications
from app.services.errors import ServiceError

log = logging.getLogger(__name__)
#: A database busy or briefly away is retried; anything else fails the job with a message.
RETRIES = 5
UNEXPECTED = "Terjadi kesalahan tak terduga saat memproses; rincian teknis ada di log pekerja."


def _fail(job_id: int, exc: Exception) -> None:
    if isinstance(exc, ServiceError):
        message = exc.message
    else:
        log.exception("job %s failed", job_id)
        message = UNEXPECTED
    jobs.fail(db.session, job_id, message)


def register_tasks(celery: Celery) -> None:
    """Define the tasks on this Celery app (see `app.jobs.init_celery`)."""

    @celery.task(shared=False, name=START, bind=True, max_retries=RETRIES)
    def start(self: Task, job_id: int) -> None:
        """Plan the job into chunks and queue every chunk not yet done."""
        try:
            pending = jobs.start(db.session, job_id)
            if not pending:
                jobs.finish(db.session, job_id)
        except OperationalError as exc:
            db.session.rollback()
            raise self.retry(exc=exc, countdown=2) from None
        except Exception as exc:  # noqa: BLE001  (kept on the job for its page)
            _fail(job_id, exc)
            return
        for seq in pending:
            chunk.apply_async((job_id, seq))

    @celery.task(shared=False, name=CHUNK, bind=True, max_retries=RETRIES)
    def chunk(self: Task, job_id: int, seq: int) -> None:
        """Decide and store one chunk; the chunk that completes the job also finishes it."""
        try:
            jobs.run_chunk(db.session, job_id, seq)
            jobs.finish(db.session, job_id)
        except OperationalError as exc:
            db.session.rollback()
            raise self.retry(exc=exc, countdown=2) from None
        except Exception as exc:  # noqa: BLE001
            _fail(job_id, exc)

    @celery.task(shared=False, name=MAIL, bind=True, max_retries=RETRIES)
    def send_mail(self: Task, notification_id: int) -> None:
        """E-mail one notification (when SMTP is configured); a refused send is retried."""
        try:
            notifications.send(db.session, notification_id)
        except OSError as exc:
            raise self.retry(exc=exc, countdown=30) from None

    @celery.task(shared=False, name=MAIL_PENDING)
    def send_pending() -> None:
        """Queue the notifications not yet e-mailed (a send that failed for good, or whose
        message was lost)."""
        for notification_id in notifications.unsent(db.session):
            send_mail.apply_async((notification_id,))

    @celery.task(shared=False, name=REMINDERS)
    def reminders() -> None:
        """Notify everyone who still has work before an open period's deadline."""
        notifications.deadline_reminders(db.session)
        send_pending.apply_async()


def submit(celery: Celery, job_id: int) -> bool:
    """Queue a claimed (committed) job. False when the broker cannot be reached: the job stays
    queued in the database, and the next worker that starts queues it (`recover`)."""
    try:
        celery.tasks[START].apply_async((job_id,))
    except KombuError:
        log.exception("job %s: the broker could not be reached", job_id)
        return False
    return True


def recover(celery: Celery, redelivers: bool) -> int:
    """A starting worker's look at unfinished jobs; returns how many it queued again.

    Jobs whose chunks are all done are finished; queued jobs are queued again (their message
    may never have reached the broker). With a broker that does not redeliver a dead worker's
    messages, running jobs are queued again too: their start queues the pending chunks.
    Chunks already done count once, so a duplicate message costs time, never a wrong result.
    """
    queued = 0
    for job in jobs.unfinished(db.session):
        if job.state == JobState.RUNNING and job.chunks_done == job.chunks_total:
            jobs.finish(db.session, job.id)
        elif job.state == JobState.QUEUED or not redelivers:
            submit(celery, job.id)
            queued += 1
    db.session.remove()
    return queued
