"""What-if simulation of a draft ruleset on a provincial period (40,000 employees), per database.

The draft is the shipped ruleset with one weight changed through the weights form's text edit
(peer weight 20 -> 100), so the run does the real work: every employee's input is read once and
decided by both the pinned version and the draft. Target: under 15 s. Each figure is one run in
a fresh child process (the engine's per-interval decision tables start empty), after one warm-up
run in that process that is reported separately; then the same simulation handed to a Celery
worker with two pool processes (bench/workers.py), as the panel runs it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.options import Options

TITLE = "What-if simulation of a draft (40,000 employees, 1.2 million ratings)"
PACKAGES = ("SQLAlchemy", "psycopg", "durable_rules", "PyYAML")
ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    """CPU seconds of this process and its finished children: on a shared machine wall time
    says more about the neighbours than about the code."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def worker(url: str, period_id: int) -> dict[str, float]:
    """In a child process: two simulations (cold, then warm), timed."""
    from app import create_app
    from app.extensions import db
    from app.services.actor import SYSTEM
    from app.services.appraisal.periods import latest_published
    from app.services.authoring import simulation, yaml_edit

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        pinned = latest_published(db.session)
        draft = yaml_edit.with_weights(pinned.yaml_text, {"raters.peer": 100})
        figures: dict[str, float] = {}
        for run in ("cold", "warm"):
            started, cpu = time.perf_counter(), _cpu()
            report = simulation.simulate(db.session, SYSTEM, period_id, text=draft)
            figures[run] = time.perf_counter() - started
            figures[f"{run}_cpu"] = _cpu() - cpu
            figures["employees"] = report.employees
            figures["changed"] = len(report.changes)
    figures.update(_on_workers(url, period_id, draft))
    return figures


def _on_workers(url: str, period_id: int, draft: str) -> dict[str, float]:
    """The same simulation queued for a worker with two pool processes (cold: a new worker)."""
    from app import create_app
    from app.extensions import db
    from app.jobs.tasks import submit
    from app.services.actor import SYSTEM
    from app.services.authoring import simulation
    from bench.workers import broker_env, wait_done, worker

    with tempfile.TemporaryDirectory() as folder:
        env = broker_env(Path(folder))
        os.environ.update(env)
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        with worker(url, 2, env) as running:
            started, cpu = time.perf_counter(), running.cpu()
            with app.app_context():
                job = simulation.request_simulation(db.session, SYSTEM, period_id, text=draft)
                job_id = job.id
                submit(app.extensions["celery"], job_id)
            wait_done(app, job_id)
            return {"workers": time.perf_counter() - started, "workers_cpu": running.cpu() - cpu}


def _child(url: str, period_id: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.simulation", url, str(period_id)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def run(options: Options) -> str:
    from bench.close_period import _databases, prepare

    employees = options.size or (400 if options.quick else 40_000)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, url in _databases(Path(tmp)):
            facts = prepare(url, employees, options.seed)
            result = _child(url, facts["period_id"])
            rows.append(
                f"| {name} | {int(result['employees']):,} | {facts['ratings']:,} "
                f"| {int(result['changed']):,} | {result['cold']:.1f} s | {result['warm']:.1f} s "
                f"| {result['warm_cpu']:.1f} s | {result['workers']:.1f} s "
                f"| {result['workers_cpu']:.1f} s | {os.getloadavg()[0]:.1f} |"
            )
    return "\n".join(
        [
            "`simulation.simulate` of the shipped ruleset with the peer weight raised from 20 to"
            " 100, against the pinned version, on a period in review. Cold: the first run in a"
            " fresh process (rulesets compiled, decision tables empty); warm: the same run again;"
            " CPU: the warm run's CPU seconds (one process, chunk after chunk); Celery: the same"
            " simulation queued for `kinerja worker --concurrency 2`, timed from the hand-over"
            " until the summary and the Excel file are stored, and that worker's CPU seconds;"
            " load: the machine's 1-minute load average after the run. Target: under 15 s.",
            "",
            "| database | employees | ratings | employees changed | cold | warm | CPU (warm) "
            "| Celery, 2 processes | CPU (Celery) | load |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )


if __name__ == "__main__":
    print(json.dumps(worker(sys.argv[1], int(sys.argv[2]))))
