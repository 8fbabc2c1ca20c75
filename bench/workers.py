"""Celery workers for the benchmarks: `kinerja worker --concurrency N` on a benchmark database,
with Redis when it answers (a queue and key prefix of this run's own) and the filesystem broker
otherwise; the CPU seconds of the worker's process tree are read from /proc."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("KINERJA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
TICKS = os.sysconf("SC_CLK_TCK")


def broker_env(folder: Path) -> dict[str, str]:
    """Redis when it answers, else the filesystem broker in `folder`."""
    queue = f"kinerja-bench-{uuid.uuid4().hex[:10]}"
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
        return {
            "KINERJA_BROKER_URL": REDIS_URL,
            "KINERJA_QUEUE": queue,
            "KINERJA_BROKER_KEY_PREFIX": f"{queue}:",
        }
    except Exception:  # noqa: BLE001 (no Redis: the embedded broker)
        return {
            "KINERJA_BROKER_URL": "filesystem://localhost/",
            "KINERJA_QUEUE": queue,
            "KINERJA_BROKER_DIR": str(folder),
        }


def process_tree(pid: int) -> list[int]:
    """`pid` and every process below it."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(child) for child in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
    return found


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants."""
    total = 0
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


class Worker:
    """A running `kinerja worker`; `cpu()` is its tree's CPU seconds so far."""

    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process, self.log = process, log

    def cpu(self) -> float:
        return tree_cpu(self.process.pid)


@contextmanager
def worker(url: str, concurrency: int, env: dict[str, str]) -> Iterator[Worker]:
    """Start a worker and wait until it is ready; stop it afterwards."""
    with tempfile.NamedTemporaryFile("w", suffix=".log", delete=False) as log:
        path = Path(log.name)
    out = open(path, "ab")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
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
        env={**os.environ, **env, "DATABASE_URL": url, "SECRET_KEY": "bench"},
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while " ready." not in path.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield Worker(process, path)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        out.close()
        path.unlink(missing_ok=True)


def wait_done(app, job_id: int) -> None:  # noqa: ANN001 (a Flask app)
    """Poll the job row until it ends; raise if it failed."""
    from app.extensions import db
    from app.models import Job

    while True:
        with app.app_context():
            db.session.expire_all()
            job = db.session.get(Job, job_id)
            if job.state == "done":
                return
            if job.state == "failed":
                raise RuntimeError(f"job {job_id} failed: {job.error}")
        time.sleep(0.1)
