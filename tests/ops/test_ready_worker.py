"""Readiness with a real background worker (`kinerja worker` subprocess on the embedded broker
and on Redis), the queue length read from Redis, and task durations in the metrics."""

from __future__ import annotations

import time

import pytest

from app.jobs import MAIL_PENDING
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database
from tests.jobs.workers import TRANSPORTS, Broker, Worker, require_redis


@pytest.fixture(params=TRANSPORTS)
def transport(request):
    if request.param == "redis":
        require_redis()
    return request.param


def test_ready_waits_for_a_worker_that_answers(transport, tmp_path):
    with fresh_database("sqlite", tmp_path) as url:
        broker = Broker(transport, tmp_path / "antrean")
        app = build_app(url, **broker.config, KINERJA_READY_REQUIRES_WORKER=True)
        seed_demo(app)
        client = app.test_client()
        before = client.get("/ready")
        assert before.status_code == 503
        assert before.json["checks"] == {"database": "ok", "broker": "ok", "worker": "gagal"}
        worker = Worker(url, broker, tmp_path / "worker.log", concurrency=1)
        try:
            deadline = time.monotonic() + 120  # a ceiling for a loaded machine, not a timing test
            while (answer := client.get("/ready")).status_code != 200:
                assert time.monotonic() < deadline, worker.tail()
                time.sleep(1)
            assert answer.json["checks"]["worker"] == "ok"
        finally:
            worker.stop()
            broker.clean()


def test_queue_length_is_read_from_redis_at_each_scrape(tmp_path):
    require_redis()
    with fresh_database("sqlite", tmp_path) as url:
        broker = Broker("redis", tmp_path)
        app = build_app(url, **broker.config)
        try:
            celery = app.extensions["celery"]
            for _ in range(3):  # no worker listens: the messages wait in the queue
                celery.tasks[MAIL_PENDING].apply_async()
            text = app.test_client().get("/metrics").get_data(as_text=True)
            assert "kinerja_queue_length 3.0" in text
        finally:
            broker.clean()


def test_task_durations_are_counted_by_task_and_outcome(demo_app):
    demo_app.config["KINERJA_TASKS_EAGER"] = True
    celery = demo_app.extensions["celery"]
    celery.conf.task_always_eager = True
    try:
        celery.tasks[MAIL_PENDING].apply_async()
    finally:
        celery.conf.task_always_eager = False
        demo_app.config["KINERJA_TASKS_EAGER"] = False
    text = demo_app.test_client().get("/metrics").get_data(as_text=True)
    count = f'kinerja_task_duration_seconds_count{{outcome="selesai",task="{MAIL_PENDING}"}}'
    assert count in text
