"""Background work on real Celery workers (`kinerja worker` subprocesses), on Redis and on the
embedded filesystem broker, on SQLite and PostgreSQL: the same results as the in-process path,
one close per period however it is requested, and the same results after a worker is killed
with SIGKILL mid-close or the web process is restarted mid-close."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.tasks import submit
from app.models import Evaluation, Job, Period
from app.services.appraisal import close, periods
from app.services.appraisal.evaluations import results_for
from app.services.authoring import ruleset_versions as versions
from app.services.authoring import simulation
from tests.conftest import build_app, seed_demo, signed_in
from tests.databases import fresh_database
from tests.jobs.workers import TRANSPORTS, Broker, Worker, latest_job, require_redis, wait_for
from tests.workflow.helpers import admin, cast_of, hr

CHUNK = 20  # small chunks: ten of them on the demo data
# the predikat matrix's row for "sesuai ekspektasi", with its middle cell raised
SESUAI_ROW = "    di_atas_ekspektasi: baik\n    sesuai_ekspektasi: baik\n"
SESUAI_ROW_RAISED = "    di_atas_ekspektasi: baik\n    sesuai_ekspektasi: sangat_baik\n"


@dataclass
class Setting:
    url: str
    web: Flask
    broker: Broker
    worker: Worker
    tmp: Path


def _dispose(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module", params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    if request.param == "redis":
        require_redis()
    return request.param


@pytest.fixture(scope="module")
def setting(backend: str, transport: str, tmp_path_factory) -> Iterator[Setting]:
    tmp = tmp_path_factory.mktemp(f"jobs-{backend}-{transport}")
    with fresh_database(backend, tmp) as url:
        broker = Broker(transport, tmp / "antrean")
        web = build_app(url, **broker.config)
        seed_demo(web)
        current = Setting(url, web, broker, Worker(url, broker, tmp / "worker.log"), tmp)
        try:
            yield current
        finally:
            current.worker.stop()
            broker.clean()
            _dispose(web)


def _snapshot(app: Flask, period_id: int) -> dict[int, tuple]:
    with app.app_context():
        db.session.expire_all()
        return {
            row.employee_id: (row.predicate, row.status, row.ruleset_version_id, row.result)
            for row in db.session.scalars(
                select(Evaluation).where(Evaluation.period_id == period_id)
            )
        }


def _to_review(app: Flask, period_id: int) -> None:
    with app.app_context():
        period = db.session.get(Period, period_id)
        if period.state != "review":
            periods.transition(db.session, hr(), period_id, "review", reason="uji ulang")


def _close_in_process(app: Flask, period_id: int) -> dict[int, tuple]:
    _to_review(app, period_id)
    with app.app_context():
        close.close_period(db.session, hr(), period_id, reason="tanpa gangguan")
    return _snapshot(app, period_id)


def _queue_close(app: Flask, period_id: int) -> int:
    _to_review(app, period_id)
    with app.app_context():
        job = close.request_close(db.session, hr(), period_id, "uji", chunk_size=CHUNK)
        submit(app.extensions["celery"], job.id)
        return job.id


def _state(app: Flask, period_id: int) -> str:
    with app.app_context():
        db.session.expire_all()
        return db.session.get(Period, period_id).state


def test_close_on_a_worker_stores_the_in_process_results(setting):
    app, period_id = setting.web, cast_of(setting.web).period
    job = wait_for(app, _queue_close(app, period_id), setting.worker)
    assert job.state == "done" and job.chunks_done == job.chunks_total > 1
    assert job.claim is None and _state(app, period_id) == "closed"
    on_worker = _snapshot(app, period_id)
    assert len(on_worker) == job.total
    assert _close_in_process(app, period_id) == on_worker


def test_repin_and_simulation_on_a_worker_equal_the_in_process_path(setting):
    app, period_id = setting.web, cast_of(setting.web).period
    _to_review(app, period_id)
    with app.app_context():
        pinned = db.session.get(Period, period_id).ruleset_version
        text = pinned.yaml_text.replace(SESUAI_ROW, SESUAI_ROW_RAISED, 1)
        assert text != pinned.yaml_text
        pinned_id = pinned.id
        draft_id = versions.create_draft(db.session, admin(), text, pinned_id, "uji pekerja").id
        queued = simulation.request_simulation(
            db.session, admin(), period_id, version_id=draft_id, chunk_size=CHUNK
        )
        submit(app.extensions["celery"], queued.id)
    on_worker = wait_for(app, queued.id, setting.worker)
    assert on_worker.state == "done" and on_worker.chunks_total > 1
    with app.app_context():
        in_process = simulation.simulate(db.session, admin(), period_id, text=text).summary()
    answer = dict(on_worker.result)
    answer.pop("seconds"), in_process.pop("seconds")
    answer.pop("after_version"), in_process.pop("after_version")  # a version vs. a text
    assert answer == in_process and answer["changed"] > 0

    # the download serves the stored file: no new job, the stored bytes
    client = signed_in(app, "admin")  # sees persons: gets the stored file
    with app.app_context():
        jobs_before = db.session.scalar(select(func.count()).select_from(Job))
    excel = client.get(f"/aturan/{draft_id}/simulasi.xlsx?period_id={period_id}")
    assert excel.status_code == 200 and excel.data == on_worker.file_data
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == jobs_before

    before = {e: row[0] for e, row in _snapshot(app, period_id).items()}
    with app.app_context():
        published_id = versions.publish_version(db.session, admin(), draft_id, "uji").id
        job = versions.request_repin(
            db.session, hr(), period_id, published_id, "uji", chunk_size=CHUNK
        )
        submit(app.extensions["celery"], job.id)
    repinned = wait_for(app, job.id, setting.worker)
    assert repinned.state == "done"
    stored = _snapshot(app, period_id)
    with app.app_context():  # the in-process evaluation of the same employees
        period = db.session.get(Period, period_id)
        ids = sorted(stored)
        expected = results_for(
            db.session, period, ids, versions.get_version(db.session, published_id)
        )
    assert [stored[e][3] for e in ids] == expected
    changed = sum(1 for e in ids if stored[e][0] != before.get(e))
    assert repinned.result["predicate_changed"] == changed > 0
    assert repinned.result["evaluated"] == len(ids)


def test_two_simultaneous_close_requests_make_one_job(setting):
    app, period_id = setting.web, cast_of(setting.web).period
    _to_review(app, period_id)
    with app.app_context():
        before = db.session.scalar(
            select(func.count()).select_from(Job).where(Job.period_id == period_id)
        )
    clients = [signed_in(app, "kepegawaian"), signed_in(app, "kepegawaian")]
    start = threading.Barrier(len(clients))
    pages: list[str] = []

    def click(client) -> None:
        start.wait()
        response = client.post(
            f"/periode/{period_id}/tutup", data={"reason": "uji"}, follow_redirects=True
        )
        pages.append(response.get_data(as_text=True))

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        created = db.session.scalar(
            select(func.count()).select_from(Job).where(Job.period_id == period_id)
        )
    assert created - before == 1
    refused = [p for p in pages if "Penutupan periode dimulai" not in p]
    assert len(refused) == 1
    assert any(
        word in refused[0] for word in ("sedang berjalan", "menunggu giliran", "sudah ditutup")
    )
    job = wait_for(app, latest_job(app, period_id, "tutup").id, setting.worker)
    assert job.state == "done" and _state(app, period_id) == "closed"


def _once_per_broker_and_database(setting: Setting) -> None:
    """The slow recovery tests run on two of the four settings, which still cover each broker
    and each database: the embedded broker with SQLite, Redis with PostgreSQL."""
    if (setting.broker.transport == "redis") != setting.url.startswith("postgresql"):
        pytest.skip("covered on the embedded broker with SQLite and Redis with PostgreSQL")


def test_a_worker_killed_mid_close_leaves_results_identical_to_an_uninterrupted_run(setting):
    _once_per_broker_and_database(setting)
    app, period_id = setting.web, cast_of(setting.web).period
    setting.worker.stop()
    single = Worker(setting.url, setting.broker, setting.tmp / "killed.log", concurrency=1)
    job_id = _queue_close(app, period_id)
    mid = wait_for(
        app,
        job_id,
        single,
        until=lambda job: job.chunks_done >= 2 or job.state in ("done", "failed"),
    )
    single.kill()
    assert mid.state == "running", "the close ended before the worker could be killed"
    killed = wait_for(app, job_id, until=lambda job: True)
    assert killed.state == "running" and killed.chunks_done < killed.chunks_total
    setting.worker = Worker(setting.url, setting.broker, setting.tmp / "worker-2.log")
    job = wait_for(app, job_id, setting.worker)
    assert job.state == "done" and job.done == job.total
    after_kill = _snapshot(app, period_id)
    assert len(after_kill) == job.total
    assert _close_in_process(app, period_id) == after_kill


def test_the_web_process_restarted_mid_close_still_shows_the_finished_job(setting):
    _once_per_broker_and_database(setting)
    period_id = cast_of(setting.web).period
    _to_review(setting.web, period_id)
    first = build_app(setting.url, **setting.broker.config)
    response = signed_in(first, "kepegawaian").post(
        f"/periode/{period_id}/tutup", data={"reason": "uji"}
    )
    assert response.status_code == 302
    job_id = latest_job(first, period_id, "tutup").id
    wait_for(first, job_id, setting.worker, until=lambda job: job.state != "queued")
    _dispose(first)  # the web process goes away; the worker goes on
    del first
    second = build_app(setting.url, **setting.broker.config)
    try:
        job = wait_for(second, job_id, setting.worker)
        assert job.state == "done"
        page = signed_in(second, "kepegawaian").get(f"/periode/{period_id}")
        text = page.get_data(as_text=True)
        assert "Penutupan periode selesai." in text and "Ditutup" in text
        assert 'id="tutup-periode"' not in text
    finally:
        _dispose(second)
