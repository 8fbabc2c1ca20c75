"""Celery: the one way background work runs (close, re-pin, simulation, import, mail).

The broker is Redis in production (`KINERJA_BROKER_URL=redis://...`); unset, it is kombu's
filesystem transport in instance/antrean, which needs no server and serves the one machine of
`make run`. Tasks are acknowledged late and are idempotent (`app.services.jobs`), so a message
whose worker died is simply run again. The database, not the broker, records the work: a worker
that starts looks at the unfinished jobs (`recover`), which matters for the filesystem broker,
whose messages vanish with a killed worker.

Each Flask app gets its own Celery app with its own tasks (tests build many apps; shared tasks
would run in whichever app was built last).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from celery import Celery, Task
from celery.schedules import crontab

if TYPE_CHECKING:
    from flask import Flask

START = "kinerja.job.start"
CHUNK = "kinerja.job.chunk"
MAIL = "kinerja.mail.send"
MAIL_PENDING = "kinerja.mail.pending"
REMINDERS = "kinerja.mail.reminders"


def settings(config: dict[str, Any]) -> dict[str, Any]:
    """Celery's settings from the app's (see config/__init__.py)."""
    url = config["KINERJA_BROKER_URL"]
    options: dict[str, Any] = {}
    if url.startswith("filesystem"):
        folder = Path(config["KINERJA_BROKER_DIR"])
        for name in ("pesan", "kontrol"):
            (folder / name).mkdir(parents=True, exist_ok=True)
        options = {
            "data_folder_in": str(folder / "pesan"),
            "data_folder_out": str(folder / "pesan"),
            "control_folder": str(folder / "kontrol"),
            "polling_interval": 0.2,
        }
    elif url.startswith(("redis", "rediss")):
        timeout = int(config["KINERJA_BROKER_VISIBILITY_TIMEOUT"])
        options = {
            "visibility_timeout": timeout,
            "unacked_restore_interval": max(1, min(10, timeout // 2)),
            "unacked_restore_throttle": 1,
        }
        if config.get("KINERJA_BROKER_KEY_PREFIX"):
            options["global_keyprefix"] = config["KINERJA_BROKER_KEY_PREFIX"]
    return {
        "broker_url": url,
        "broker_transport_options": options,
        "broker_connection_retry_on_startup": True,
        "task_default_queue": config["KINERJA_QUEUE"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_ignore_result": True,
        "task_always_eager": bool(config.get("KINERJA_TASKS_EAGER")),
        "task_eager_propagates": True,
        "worker_hijack_root_logger": False,
        "timezone": "Asia/Jakarta",
        "beat_schedule": {
            "pengingat-tenggat": {"task": REMINDERS, "schedule": crontab(hour=7, minute=0)},
            "surel-tertunda": {"task": MAIL_PENDING, "schedule": 300.0},
        },
    }


def init_celery(app: Flask) -> Celery:
    """The app's Celery, its tasks registered; kept in `app.extensions["celery"]`."""

    class FlaskTask(Task):
        """Every task runs inside an application context of its own (its own session)."""

        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            from app.ops.metrics import TASK_DURATION

            started, outcome = time.perf_counter(), "gagal"
            try:
                with app.app_context():
                    result = self.run(*args, **kwargs)
                outcome = "selesai"
                return result
            finally:
                duration = time.perf_counter() - started
                TASK_DURATION.labels(task=self.name, outcome=outcome).observe(duration)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(settings(app.config))
    from app.jobs.tasks import register_tasks

    register_tasks(celery)
    app.extensions["celery"] = celery
    _queue_mail_after_commit()
    return celery


_listening: list[bool] = []


def _queue_mail_after_commit() -> None:
    """Once per process: after any commit that added notifications, queue their e-mail (in the
    committing app's Celery); a rollback forgets them."""
    if _listening:
        return
    from flask import current_app, has_app_context
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from app.services import notifications

    def queue(session: Session) -> None:
        ids = notifications.committed_ids(session)
        if ids and has_app_context() and notifications.mail_enabled():
            celery = current_app.extensions["celery"]
            for notification_id in ids:
                celery.tasks[MAIL].apply_async((notification_id,))

    event.listen(Session, "after_commit", queue)
    event.listen(Session, "after_rollback", notifications.forget_pending)
    _listening.append(True)


def redelivers(celery: Celery) -> bool:
    """Whether the broker gives a dead worker's unacknowledged messages to another (Redis
    does, after the visibility timeout; the filesystem transport does not)."""
    return str(celery.conf.broker_url).startswith(("redis", "rediss", "amqp"))
