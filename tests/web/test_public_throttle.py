"""A flood of public feedback: throttled per client with 429 (Flask-Limiter, memory storage
and Redis when one answers), and every accepted feedback is stored."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import PublicFeedback, Unit
from tests.conftest import build_app
from tests.databases import fresh_database

LIMIT = "5 per minute"


def _redis_url() -> str | None:
    try:
        import redis

        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except Exception:
        return None
    return "redis://127.0.0.1:6379/15"


@pytest.fixture(scope="module", params=["memory", "redis"])
def throttled_app(request, backend, tmp_path_factory):
    storage = "memory://"
    if request.param == "redis":
        storage = _redis_url()
        if storage is None:
            pytest.skip("Redis tidak dapat dihubungi di 127.0.0.1:6379")
    tmp = tmp_path_factory.mktemp(f"throttle-{backend}")
    with fresh_database(backend, tmp) as url:
        app = build_app(
            url,
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=storage,
            RATELIMIT_KEY_PREFIX=f"kinerja-test-{uuid.uuid4().hex[:8]}",
            KINERJA_PUBLIC_FEEDBACK_LIMIT=LIMIT,
        )
        with app.app_context():
            db.session.add(Unit(code="DINKES", name="Dinas Kesehatan Aceh"))
            db.session.commit()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _comments(app):
    with app.app_context():
        return sorted(db.session.scalars(select(PublicFeedback.comment)))


def test_flood_is_throttled_with_429_and_nothing_accepted_is_lost(throttled_app):
    client = throttled_app.test_client()
    flood = "198.51.100.77"
    statuses = []
    for n in range(1, 13):
        response = client.post(
            "/publik/unit/DINKES",
            data={"stars": "5", "comment": f"ke-{n}"},
            environ_base={"REMOTE_ADDR": flood},
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert "Terlalu banyak penilaian" in response.text
    assert statuses == [302] * 5 + [429] * 7
    assert _comments(throttled_app) == sorted(f"ke-{n}" for n in range(1, 6))
    # the form itself stays readable, and another client is not punished for the flood
    assert client.get("/publik/unit/DINKES", environ_base={"REMOTE_ADDR": flood}).status_code == 200
    other = client.post(
        "/publik/unit/DINKES",
        data={"stars": "3", "comment": "warga lain"},
        environ_base={"REMOTE_ADDR": "198.51.100.78"},
    )
    assert other.status_code == 302
    assert "warga lain" in _comments(throttled_app)


def test_concurrent_flood_accepts_exactly_the_limit_and_stores_each_accepted(throttled_app):
    from concurrent.futures import ThreadPoolExecutor

    before = len(_comments(throttled_app))

    def send(n: int) -> int:
        client = throttled_app.test_client()
        return client.post(
            "/publik/unit/DINKES",
            data={"stars": "4", "comment": f"serentak-{n}"},
            environ_base={"REMOTE_ADDR": "203.0.113.200"},
        ).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(send, range(18)))
    assert sorted(statuses) == [302] * 5 + [429] * 13
    stored = [c for c in _comments(throttled_app) if c.startswith("serentak-")]
    assert len(stored) == 5 and len(_comments(throttled_app)) == before + 5
