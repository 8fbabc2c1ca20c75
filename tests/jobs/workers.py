"""Real Celery workers for the tests: `kinerja worker` started as a subprocess on a test
database, with Redis (a key prefix and a queue of this test run's own, so parallel runs never
meet) or with the embedded filesystem broker in a temporary folder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Job

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("KINERJA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TRANSPORTS = ("redis", "filesystem")
WAIT = 180.0  # seconds: a generous ceiling on a shared machine, never a timing assertion


def redis_unavailable_reason() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        return None
    except redis.RedisError as exc:
        return f"Redis tidak dapat dihubungi di {REDIS_URL}: {exc}"


def require_redis() -> None:
    """Skip (or fail on CI) when Redis is unreachable."""
    reason = redis_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@dataclass
class Broker:
    """One test run's broker settings, as environment (worker) and as app config (web)."""

    transport: str
    folder: Path
    queue: str = field(default_factory=lambda: f"kinerja-uji-{uuid.uuid4().hex[:10]}")

    @property
    def env(self) -> dict[str, str]:
        if self.transport == "redis":
            return {
                "KINERJA_BROKER_URL": REDIS_URL,
                "KINERJA_QUEUE": self.queue,
                "KINERJA_BROKER_KEY_PREFIX": f"{self.queue}:",
                "KINERJA_BROKER_VISIBILITY_TIMEOUT": "3",
            }
        return {
            "KINERJA_BROKER_URL": "filesystem://localhost/",
            "KINERJA_QUEUE": self.queue,
            "KINERJA_BROKER_DIR": str(self.folder),
        }

    @property
    def config(self) -> dict[str, object]:
        env = self.env
        config: dict[str, object] = dict(env)
        timeout = env.get("KINERJA_BROKER_VISIBILITY_TIMEOUT")
        if timeout:
            config["KINERJA_BROKER_VISIBILITY_TIMEOUT"] = int(timeout)
        config.setdefault("KINERJA_BROKER_KEY_PREFIX", "")
        config.setdefault("KINERJA_BROKER_DIR", str(self.folder))
        return {**config, "KINERJA_TASKS_EAGER": False}

    def clean(self) -> None:
        if self.transport == "redis":
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{self.queue}*"))
            if keys:
                client.delete(*keys)


class Worker:
    """`kinerja worker` in its own process group (so that SIGKILL reaches its pool too)."""

    def __init__(self, database_url: str, broker: Broker, log: Path, concurrency: int = 2):
        env = {**os.environ, **broker.env, "DATABASE_URL": database_url, "SECRET_KEY": "test-only"}
        self.log = log
        self._out = open(log, "ab")  # noqa: SIM115  (closed in stop)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flask",
                "--app",
                "run",
                "kinerja",
                "worker",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no clean-up of any kind."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        if not self._out.closed:
            self._out.close()

    def stop(self) -> None:
        """The tests have what they need: the worker goes at once, as `kill` does."""
        if self.process.poll() is None:
            self.kill()
        elif not self._out.closed:
            self._out.close()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def job_row(app: Flask, job_id: int) -> Job:
    with app.app_context():
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def wait_for(
    app: Flask,
    job_id: int,
    worker: Worker | None = None,
    until: Callable[[Job], bool] | None = None,
) -> Job:
    """Poll the job row until `until` (default: the job ended); fail with the worker's log."""
    until = until or (lambda job: job.state in ("done", "failed"))
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        job = job_row(app, job_id)
        if until(job):
            return job
        if worker is not None and worker.process.poll() is not None:
            pytest.fail(f"the worker stopped:\n{worker.tail()}")
        time.sleep(0.05)
    pytest.fail(f"job {job_id} did not get there in time:\n{worker.tail() if worker else ''}")


def latest_job(app: Flask, period_id: int, kind: str) -> Job | None:
    with app.app_context():
        job = db.session.scalar(
            select(Job)
            .where(Job.period_id == period_id, Job.kind == kind)
            .order_by(Job.id.desc())
            .limit(1)
        )
        if job is not None:
            db.session.expunge(job)
        return job
