"""Closing is a resumable job: killed with SIGKILL midway and run again, it ends with the same
results as an uninterrupted run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Evaluation, Job, Period
from app.services.appraisal import close, periods
from tests.workflow.helpers import cast_of, hr

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _snapshot(app, period_id: int) -> dict[int, tuple]:
    with app.app_context():
        db.session.expire_all()
        return {
            row.employee_id: (
                row.predicate,
                row.status,
                row.ruleset_version_id,
                {k: v for k, v in row.result.items()},
            )
            for row in db.session.scalars(
                select(Evaluation).where(Evaluation.period_id == period_id)
            )
        }


def _job(app, period_id: int) -> tuple[str, int, int] | None:
    with app.app_context():
        db.session.expire_all()
        job = db.session.scalar(
            select(Job)
            .where(Job.period_id == period_id, Job.kind == "tutup")
            .order_by(Job.id.desc())
            .limit(1)
        )
        return (job.state, job.done, job.total) if job else None


def _close_command(app, period_id: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "flask",
        "--app",
        "run",
        "kinerja",
        "period",
        "close",
        str(period_id),
        "--chunk-size",
        "1",
        "--reason",
        "uji",
    ]


def _env(app) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-only",
    }


def test_killed_close_resumes_to_the_uninterrupted_result(app):
    period_id = cast_of(app).period
    with app.app_context():
        periods.transition(db.session, hr(), period_id, "review", reason="uji penutupan")
    process = subprocess.Popen(
        _close_command(app, period_id),
        cwd=ROOT,
        env=_env(app),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    killed_at = None
    while time.monotonic() < deadline and process.poll() is None:
        job = _job(app, period_id)
        if job and 0 < job[1] < job[2] - 5:
            process.send_signal(signal.SIGKILL)
            process.wait()
            killed_at = job[1]
            break
        time.sleep(0.02)
    assert killed_at is not None, "the close finished before it could be interrupted"
    state, done, total = _job(app, period_id)
    assert state == "running" and killed_at <= done < total
    with app.app_context():
        assert db.session.get(Period, period_id).state == "review"

    resumed = subprocess.run(
        _close_command(app, period_id),
        cwd=ROOT,
        env=_env(app),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert _job(app, period_id)[0] == "done"
    after_resume = _snapshot(app, period_id)

    with app.app_context():
        periods.transition(db.session, hr(), period_id, "review", reason="pembanding")
        close.close_period(db.session, hr(), period_id, reason="tanpa gangguan")
    uninterrupted = _snapshot(app, period_id)
    assert len(after_resume) == total
    assert after_resume == uninterrupted


def test_progress_is_reported(app):
    with app.app_context():
        period_id = db.session.scalar(select(Period.id).where(Period.name == "Triwulan IV 2026"))
        status = close.job_status(db.session, period_id)
    assert status["state"] == "done" and status["done"] == status["total"] > 0


def _close_in_chunks(app, period_id: int, chunk_size: int) -> dict[int, tuple]:
    """Close the period (reopened to review if needed) in chunks of `chunk_size`."""
    with app.app_context():
        period = db.session.get(Period, period_id)
        if period.state != "review":
            periods.transition(db.session, hr(), period_id, "review", reason="pembanding")
        close.close_period(db.session, hr(), period_id, reason="uji", chunk_size=chunk_size)
    return _snapshot(app, period_id)


def test_chunk_size_does_not_change_the_results(app):
    """Chunks are independent: many small ones store what one large one stores."""
    period_id = cast_of(app).period
    small = _close_in_chunks(app, period_id, chunk_size=25)
    large = _close_in_chunks(app, period_id, chunk_size=100_000)
    assert len(small) == _job(app, period_id)[2] > 25
    assert small == large
    assert {row[1] for row in large.values()} >= {"lengkap"}


def test_a_stored_result_reads_back_as_the_engine_gave_it(app):
    from app.services.appraisal import evaluations
    from app.services.engine_input import employee_id_chunks

    with app.app_context():
        period = db.session.scalars(
            select(Period).where(Period.ruleset_version_id.is_not(None)).order_by(Period.id)
        ).first()
        ids = next(employee_id_chunks(db.session, chunk_size=5))
        version = evaluations.pinned_version(period)
        given = evaluations.results_for(db.session, period, ids, version)
        written = [evaluations.stored(r) for r in given]
        evaluations.write_results(db.session, period, ids, written, version)
        db.session.commit()
        db.session.expire_all()
        rows = db.session.scalars(
            select(Evaluation)
            .where(Evaluation.period_id == period.id, Evaluation.employee_id.in_(ids))
            .order_by(Evaluation.employee_id)
        ).all()
        assert [row.result for row in rows] == given
    assert evaluations.stored({"status": "lengkap", 1: "a"}).text == '{"status":"lengkap","1":"a"}'
