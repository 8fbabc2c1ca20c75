"""Closing a period at provincial scale, on SQLite and PostgreSQL, against its I/O floor.

For each database: build a provincial database (bench/provincial.py), then in fresh child
processes run
- the floor: the same chunked reads of every rating (`build_inputs`) and the same writes of one
  result row per employee, with no rules, in one process;
- the close in one process: `close_period`, chunk after chunk (the command line's path);
- the close on Celery: `request_close` handed to a `kinerja worker` with 1 and then 2 pool
  processes (bench/workers.py), timed from the hand-over to the job's last chunk.
Peak memory is that of the whole process tree (the child and the worker it started), sampled.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.options import Options

TITLE = "Closing a period (40,000 employees, 1.2 million ratings)"
PACKAGES = ("SQLAlchemy", "psycopg", "durable_rules", "Flask-AppBuilder")
ROOT = Path(__file__).resolve().parent.parent


def _app(url: str):  # noqa: ANN202 (a Flask app)
    from app import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})


def prepare(url: str, employees: int, seed: int) -> dict[str, int]:
    """Migrate, initialise and fill a fresh database."""
    from flask_migrate import upgrade

    from app.extensions import db
    from app.services import setup
    from bench.provincial import populate

    app = _app(url)
    with app.app_context():
        upgrade()
        setup.initialise(db.session, Path(app.config["KINERJA_RULES_DIR"]))
        return populate(db.session, employees, seed)


def _reset(session, period_id: int) -> None:  # noqa: ANN001
    from sqlalchemy import delete, update

    from app.models import Evaluation, Job, Period

    session.execute(delete(Evaluation).where(Evaluation.period_id == period_id))
    session.execute(delete(Job).where(Job.period_id == period_id))
    session.execute(update(Period).where(Period.id == period_id).values(state="review"))
    session.commit()


def _on_workers(url: str, period_id: int, processes: int) -> dict[str, float]:
    """The close handed to a Celery worker with `processes` pool processes."""
    from app.extensions import db
    from app.jobs.tasks import submit
    from app.services.actor import SYSTEM
    from app.services.appraisal import close
    from bench.workers import broker_env, wait_done, worker

    with tempfile.TemporaryDirectory() as folder:
        env = broker_env(Path(folder))
        os.environ.update(env)
        app = _app(url)
        with app.app_context():
            _reset(db.session, period_id)
        sampler = TreeMemory()
        with worker(url, processes, env) as running:
            sampler.start()
            started, cpu = time.perf_counter(), running.cpu()
            with app.app_context():
                job = close.request_close(db.session, SYSTEM, period_id, reason="bench")
                job_id, count = job.id, job.total
                submit(app.extensions["celery"], job_id)
            wait_done(app, job_id)
            seconds, cpu = time.perf_counter() - started, running.cpu() - cpu
            sampler.stop()
        with app.app_context():
            count = db.session.get(type(job), job_id).done
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": sampler.peak_mb,
        "employees": count,
        "processes": sampler.processes,
    }


def worker(url: str, mode: str, period_id: int) -> dict[str, float]:
    """Run in a child process: one measured pass, printed as JSON."""
    from app.extensions import db
    from app.models import Period
    from app.services.actor import SYSTEM
    from app.services.appraisal import close
    from app.services.appraisal.evaluations import pinned_version, stored, write_results
    from app.services.engine_input import build_inputs, employee_id_chunks

    if mode.startswith("workers:"):
        return _on_workers(url, period_id, int(mode.split(":", 1)[1]))
    app = _app(url)
    sampler = TreeMemory()
    with app.app_context():
        _reset(db.session, period_id)
        sampler.start()
        started, cpu = time.perf_counter(), cpu_seconds()
        if mode == "close":
            job = close.close_period(db.session, SYSTEM, period_id, reason="bench")
            count = job.done
        else:
            period = db.session.get(Period, period_id)
            version = pinned_version(period)
            count = 0
            for chunk in employee_id_chunks(db.session, chunk_size=close.DEFAULT_CHUNK):
                inputs = build_inputs(db.session, period, chunk)
                results = [
                    stored({"status": "lengkap", "ratings": len(i["ratings"])}) for i in inputs
                ]
                write_results(db.session, period, chunk, results, version)
                db.session.commit()
                count += len(chunk)
        seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    sampler.stop()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": sampler.peak_mb,
        "employees": count,
        "processes": sampler.processes,
    }


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the close's workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    """Every process below `pid` (a worker's pool processes too)."""
    from bench.workers import process_tree

    return process_tree(pid)[1:]


class TreeMemory:
    """Peak resident memory of this process plus its child processes, sampled every 50 ms.

    Not `ru_maxrss`: for children it is the largest child's, not the sum, and Linux carries a
    parent's peak into a child through fork and exec. The sample also takes this process's
    own `VmHWM`, so a peak between two samples of the main process is not missed.
    """

    def __init__(self) -> None:
        self.peak_kib = 0
        self.processes = 1
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _sample(self) -> None:
        me = os.getpid()
        children = _descendants(me)
        self.processes = max(self.processes, 1 + len(children))
        total = _rss_kib(me) + sum(_rss_kib(pid) for pid in children)
        self.peak_kib = max(self.peak_kib, total, int(peak_rss_mb() * 1024))

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self._sample()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @property
    def peak_mb(self) -> float:
        return self.peak_kib / 1024


def peak_rss_mb() -> float:
    """This process's own peak resident set (VmHWM). Not `ru_maxrss`: Linux carries that over
    from the parent through fork and exec, so a child of a big parent would report the parent's
    peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(url: str, mode: str, period_id: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.close_period", url, mode, str(period_id)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _drop(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _databases(tmp: Path) -> list[tuple[str, str]]:
    found = [("SQLite", f"sqlite:///{tmp / 'bench.db'}")]
    try:
        import psycopg

        base = os.environ.get(
            "KINERJA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
        )
        name = f"kinerja_bench_{os.getpid()}"  # of this run: benchmarks may run side by side
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        atexit.register(_drop, base, name)
        found.append(
            (
                "PostgreSQL",
                "postgresql+psycopg://" + base.split("://", 1)[1].rsplit("/", 1)[0] + f"/{name}",
            )
        )
    except Exception as exc:  # a laptop without PostgreSQL still gets the SQLite figures
        print(f"bench: PostgreSQL skipped: {exc}", file=sys.stderr)
    return found


def run(options: Options) -> str:
    employees = options.size or (400 if options.quick else 40_000)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in _databases(Path(tmp)):
            started = time.perf_counter()
            facts = prepare(url, employees, options.seed)
            built = time.perf_counter() - started
            floor = _child(url, "floor", facts["period_id"])
            period_id = facts["period_id"]
            runs = [("one process (`kinerja period close`)", _child(url, "close", period_id))]
            for processes in (1, 2):
                runs.append(
                    (
                        f"Celery, {processes} worker process{'es' if processes > 1 else ''}",
                        _child(url, f"workers:{processes}", period_id),
                    )
                )
            single = runs[1][1]["seconds"]
            for label, figures in runs:
                speed_up = (
                    f"{single / figures['seconds']:.2f}×" if label.startswith("Celery") else ""
                )
                rows.append(
                    f"| {name} | {facts['employees']:,} | {facts['ratings']:,} | {built:.0f} s "
                    f"| {label} | {floor['seconds']:.1f} s | {figures['seconds']:.1f} s "
                    f"| {figures['seconds'] / floor['seconds']:.2f}× | {speed_up} "
                    f"| {figures['cpu']:.1f} s | {figures['peak_mb']:.0f} MB |"
                )
    return "\n".join(
        [
            "Each figure is one run in a fresh child process on a freshly filled database; the"
            " I/O floor reads the same ratings and writes one result row per employee without"
            " rules, in one process. One process: `close_period`, chunk after chunk, as the command"
            " line runs it. Celery: the close handed to `kinerja worker --concurrency N` (Redis"
            " broker), timed from the hand-over until the job's last chunk is stored; chunks of"
            " 2,000 employees are decided and upserted by the pool processes in parallel; speed-up"
            " is against one worker process. CPU counts every process of the run (for Celery the"
            " worker's tree, without its start-up); peak memory is the sum of the resident sets of"
            " the process tree, sampled every 50 ms.",
            "",
            "| database | employees | ratings | fill | close | I/O floor | time | time / floor "
            "| speed-up | CPU | peak memory |",
            "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )


if __name__ == "__main__":
    url_arg, mode_arg, period_arg = sys.argv[1:4]
    print(json.dumps(worker(url_arg, mode_arg, int(period_arg))))
