"""Login protection over HTTP, on SQLite and PostgreSQL: per-account growing delays on both
login paths, a per-address ceiling an office NAT does not hit, trusted proxies, Indonesian 429
answers and sign-ins in the audit log. Throttle decisions are asserted, never timings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog
from app.services.people import accounts
from tests.conftest import build_app
from tests.databases import fresh_database

PASSWORD = "Demo-Kinerja-2026"
THROTTLED = {
    "RATELIMIT_ENABLED": True,
    "AUTH_RATE_LIMITED": True,
    # the shipped per-address ceiling; a long base delay so no attempt outlives it
    "AUTH_RATE_LIMIT": "300 per 5 minute",
    "KINERJA_LOGIN_DELAY_SECONDS": 600,
}


def _users(app: Flask, names: list[str]) -> None:
    with app.app_context():
        roles = accounts.ensure_roles(db.session)
        for name in names:
            accounts.ensure_user(
                db.session,
                username=name,
                password=PASSWORD,
                first_name=name,
                last_name="uji",
                email=f"{name}@uji.local",
                roles=[roles["Pegawai"]],
            )
        db.session.commit()


@pytest.fixture(scope="module")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with fresh_database(backend, tmp_path_factory.mktemp("login")) as url:
        app = build_app(url, **THROTTLED)
        _users(app, [f"staf{n:02d}" for n in range(11)] + ["korban", "lain", "kantor"])
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _api(client, name: str, password: str, **kwargs) -> int:
    body = {"username": name, "password": password, "provider": "db"}
    return client.post("/api/v1/security/login", json=body, **kwargs).status_code


def _form(client, name: str, password: str, **kwargs):
    return client.post("/login/", data={"username": name, "password": password}, **kwargs)


def _audit(app: Flask, action: str) -> list[AuditLog]:
    with app.app_context():
        return list(db.session.scalars(select(AuditLog).where(AuditLog.action == action)))


def test_eleven_people_behind_one_address_all_sign_in(app):
    """An office NAT: eleven colleagues from one address in a row, none refused."""
    for n in range(11):
        response = _form(app.test_client(), f"staf{n:02d}", PASSWORD)
        assert response.status_code == 302, response.status_code
        assert "/login" not in response.headers["Location"]


def test_wrong_passwords_for_one_account_are_slowed_on_both_paths(app):
    client = app.test_client()
    codes = [_api(client, "korban", f"salah-tebakan-{n}") for n in range(6)]
    # three free failures, then the name is blocked for a growing delay: refused with 429
    assert codes == [401, 401, 401, 429, 429, 429]
    # the right password is refused while blocked, on the form as well ...
    refused = _form(client, "korban", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "Terlalu banyak percobaan masuk" in refused.get_data(as_text=True)
    assert "Coba lagi dalam" in refused.get_data(as_text=True)
    # ... and the API answer is Indonesian JSON
    answer = client.post(
        "/api/v1/security/login",
        json={"username": "korban", "password": PASSWORD, "provider": "db"},
    )
    assert answer.status_code == 429 and "Terlalu banyak" in answer.json["message"]
    # another account from the same address is not affected
    assert _api(client, "lain", PASSWORD) == 200


def test_unknown_names_are_throttled_like_known_ones(app):
    client = app.test_client()
    codes = [_api(client, "tidak-ada-orangnya", f"salah-{n}") for n in range(6)]
    assert codes == [401, 401, 401, 429, 429, 429]


def test_success_clears_the_failure_count(app):
    client = app.test_client()
    assert [_api(client, "kantor", "salah-satu"), _api(client, "kantor", "salah-dua")] == [401] * 2
    assert _api(client, "kantor", PASSWORD) == 200
    assert [_api(client, "kantor", f"salah-lagi-{n}") for n in range(3)] == [401] * 3


def test_sign_ins_and_failures_are_audited(app):
    client = app.test_client()
    assert _api(client, "staf00", "bukan-sandinya") == 401
    assert _api(client, "staf00", PASSWORD) == 200
    failed = [e for e in _audit(app, "login.gagal") if e.username == "staf00"]
    succeeded = [e for e in _audit(app, "login.berhasil") if e.username == "staf00"]
    assert failed and failed[-1].user_id is not None and failed[-1].after["via"] == "api"
    assert succeeded and succeeded[-1].after["ip"] == "127.0.0.1"
    unknown = [e for e in _audit(app, "login.gagal") if e.username == "tidak-ada-orangnya"]
    assert unknown and unknown[0].user_id is None
    assert _audit(app, "login.ditolak")  # refusals while blocked are recorded too


def test_x_forwarded_for_is_ignored_without_trusted_proxies(app):
    client = app.test_client()
    assert _api(client, "staf01", PASSWORD, headers={"X-Forwarded-For": "203.0.113.9"}) == 200
    entry = [e for e in _audit(app, "login.berhasil") if e.username == "staf01"][-1]
    assert entry.after["ip"] == "127.0.0.1"


@pytest.fixture(scope="module")
def tight_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """A low per-address ceiling and one trusted proxy, to see both at work."""
    with fresh_database("sqlite", tmp_path_factory.mktemp("ceiling")) as url:
        app = build_app(
            url, **{**THROTTLED, "AUTH_RATE_LIMIT": "4 per minute", "KINERJA_TRUSTED_PROXIES": 1}
        )
        _users(app, ["tamu"])
        yield app


def test_per_address_ceiling_answers_in_indonesian_and_proxies_are_trusted(tight_app):
    client = tight_app.test_client()
    behind = {"X-Forwarded-For": "198.51.100.7"}
    codes = [_api(client, f"nama-{n}", "salah", headers=behind) for n in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    pages = [
        _form(client, f"nama-{n}", "salah", headers={**behind, "Accept": "text/html"})
        for n in range(5)
    ]  # the form has a ceiling of its own
    page = pages[-1]
    assert [p.status_code for p in pages] == [302, 302, 302, 302, 429]
    assert "Terlalu banyak permintaan dari perangkat ini" in page.get_data(as_text=True)
    # with one trusted proxy, another forwarded client address has its own ceiling
    assert _api(client, "tamu", PASSWORD, headers={"X-Forwarded-For": "198.51.100.8"}) == 200
    with tight_app.app_context():
        entry = db.session.scalars(
            select(AuditLog).where(AuditLog.action == "login.berhasil")
        ).all()[-1]
    assert entry.after["ip"] == "198.51.100.8"


def test_demo_accounts_are_hashed_like_real_ones(demo_app):
    """An unknown name is checked against FAB's dummy scrypt hash: every account, the demo's
    included, must cost the same, or response times tell names apart."""
    from flask_appbuilder.security.sqla.models import User

    dummy_method = demo_app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"].split("$")[0]
    with demo_app.app_context():
        methods = {h.split("$")[0] for h in db.session.scalars(select(User.password))}
    assert methods == {dummy_method}
