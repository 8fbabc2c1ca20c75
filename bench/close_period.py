"""Closing a period at provincial scale, on SQLite and PostgreSQL, against its I/O floor.

For each database: build a provincial database (bench/provincial.py), then in fresh child
processes (so that peak memory is the child's own `ru_maxrss`) run
- the floor: the same chunked reads of every rating (`build_inputs`) and the same writes of one
  result row per employee, with no rules;
- the close: `close_period`, i.e. the floor plus the rules engine deciding every employee.
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

    from app.models import CloseJob, Evaluation, Period

    session.execute(delete(Evaluation).where(Evaluation.period_id == period_id))
    session.execute(delete(CloseJob).where(CloseJob.period_id == period_id))
    session.execute(update(Period).where(Period.id == period_id).values(state="review"))
    session.commit()


def worker(url: str, mode: str, period_id: int) -> dict[str, float]:
    """Run in a child process: one measured pass, printed as JSON."""
    from app.extensions import db
    from app.models import Period
    from app.services import close
    from app.services.actor import SYSTEM
    from app.services.engine_input import build_inputs, employee_id_chunks
    from app.services.evaluations import pinned_version, write_results

    app = _app(url)
    with app.app_context():
        _reset(db.session, period_id)
        started = time.perf_counter()
        if mode == "close":
            job = close.close_period(db.session, SYSTEM, period_id, reason="bench")
            count = job.done
        else:
            period = db.session.get(Period, period_id)
            version = pinned_version(period)
            count = 0
            for chunk in employee_id_chunks(db.session, chunk_size=close.DEFAULT_CHUNK):
                inputs = build_inputs(db.session, period, chunk)
                results = [{"status": "lengkap", "ratings": len(i["ratings"])} for i in inputs]
                write_results(db.session, period, chunk, results, version)
                db.session.commit()
                count += len(chunk)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": peak_rss_mb(), "employees": count}


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
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout.strip().splitlines()[-1])


def _databases(tmp: Path) -> list[tuple[str, str]]:
    found = [("SQLite", f"sqlite:///{tmp / 'bench.db'}")]
    try:
        import psycopg

        base = os.environ.get("KINERJA_BENCH_POSTGRES_URL",
                              "postgresql://postgres@127.0.0.1:5432/test")  # fmt: skip
        with psycopg.connect(base, autocommit=True, connect_timeout=3) as conn:
            conn.execute("DROP DATABASE IF EXISTS kinerja_bench WITH (FORCE)")
            conn.execute("CREATE DATABASE kinerja_bench")
        found.append(("PostgreSQL", "postgresql+psycopg://" + base.split("://", 1)[1]
                      .rsplit("/", 1)[0] + "/kinerja_bench"))  # fmt: skip
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
            closing = _child(url, "close", facts["period_id"])
            rows.append(
                f"| {name} | {facts['employees']:,} | {facts['ratings']:,} | {built:.0f} s "
                f"| {floor['seconds']:.1f} s | {closing['seconds']:.1f} s "
                f"| {closing['seconds'] / floor['seconds']:.2f}× | {closing['peak_mb']:.0f} MB "
                f"| {floor['peak_mb']:.0f} MB |"
            )
    return "\n".join([
        "Each figure is one run of a fresh child process on a freshly filled database; the"
        " floor reads the same ratings and writes one result row per employee without rules."
        " Peak memory is the child's own peak resident set (`VmHWM`). Targets: close"
        " under 60 s, at most 2× the floor, peak under 500 MB.",
        "",
        "| database | employees | ratings | fill | I/O floor | close | close / floor "
        "| peak memory (close) | peak memory (floor) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
    ])  # fmt: skip


if __name__ == "__main__":
    url_arg, mode_arg, period_arg = sys.argv[1:4]
    print(json.dumps(worker(url_arg, mode_arg, int(period_arg))))
