"""Liveness, readiness and metrics over real HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from tests.conftest import build_app, signed_in


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


def test_health_answers_without_an_account(app):
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_ready_checks_the_database_and_the_broker(app):
    response = app.test_client().get("/ready")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_ready_is_503_without_the_database_and_says_nothing_about_it(tmp_path):
    broken = build_app(f"sqlite:///{tmp_path}/kinerja.db")
    broken.config["SQLALCHEMY_DATABASE_URI"] = "unused"  # the engine exists already; break it:
    from app.extensions import db

    with broken.app_context():
        db.engine.dispose()
    (tmp_path / "kinerja.db").unlink()
    (tmp_path / "kinerja.db").mkdir()  # a directory where the database file was
    response = broken.test_client().get("/ready")
    assert response.status_code == 503
    assert response.json["status"] == "gagal"
    assert response.json["checks"]["database"] == "gagal"
    assert "sqlite" not in response.get_data(as_text=True).lower()


def test_ready_reports_an_unreachable_broker(app):
    configured = app.config["KINERJA_BROKER_URL"]
    app.config["KINERJA_BROKER_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = app.test_client().get("/ready")
    finally:
        app.config["KINERJA_BROKER_URL"] = configured
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "broker": "gagal"}


def test_metrics_group_requests_by_endpoint_never_by_path(app):
    client = signed_in(app, "pegawai")
    client.get("/health")
    client.get("/skp/saya/")
    text = app.test_client().get("/metrics").get_data(as_text=True)
    assert "flask_http_request_duration_seconds" in text
    assert "ops.health" not in text  # probes are not counted
    assert re.search(r'endpoint="[A-Za-z]+View\.[a-z_]+"', text)
    assert 'path="' not in text
    assert not re.search(r"/\d+", "".join(re.findall(r'endpoint="([^"]*)"', text)))
    assert "kinerja_login_failures_total" in text


def test_metrics_behind_a_token_when_one_is_set(app):
    app.config["KINERJA_METRICS_TOKEN"] = "s3cret-token-for-prometheus"
    try:
        client = app.test_client()
        assert client.get("/metrics").status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert client.get("/metrics", headers=wrong).status_code == 401
        right = {"Authorization": "Bearer s3cret-token-for-prometheus"}
        assert client.get("/metrics", headers=right).status_code == 200
    finally:
        app.config["KINERJA_METRICS_TOKEN"] = ""


def test_every_response_carries_a_request_id_and_keeps_a_well_formed_one(app):
    client = app.test_client()
    generated = client.get("/health").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    kept = client.get("/health", headers={"X-Request-ID": "proxy-req-12345678"})
    assert kept.headers["X-Request-ID"] == "proxy-req-12345678"
    hostile = client.get("/health", headers={"X-Request-ID": 'not an id; {"injected": 1}'})
    assert re.fullmatch(r"[0-9a-f]{32}", hostile.headers["X-Request-ID"])
