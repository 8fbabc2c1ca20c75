"""Sessions that end, over HTTP on SQLite and PostgreSQL: a copied session cookie is worthless
after logout, a password change or an administrator's "end sessions"; idle and absolute limits;
refresh tokens revocable; forced change of an administrator-set password; `/users/add` and
both password forms working with the password rule."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog, HttpSession
from app.services.people import accounts
from app.web import sessions
from tests.conftest import build_app, login, statements
from tests.databases import fresh_database

PASSWORD = "Demo-Kinerja-2026"
NEW_PASSWORD = "kopi sanger di pagi hari ulee kareng"


def _user(app: Flask, name: str, role: str = "Pegawai") -> int:
    with app.app_context():
        roles = accounts.ensure_roles(db.session)
        user, _ = accounts.ensure_user(
            db.session,
            username=name,
            password=PASSWORD,
            first_name=name,
            last_name="uji",
            email=f"{name}@uji.local",
            roles=[roles[role]],
        )
        db.session.commit()
        return user.id


@pytest.fixture(scope="module")
def app(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with fresh_database(backend, tmp_path_factory.mktemp("sessions")) as url:
        app = build_app(url)
        _user(app, "admin", "Admin")
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _signed_in(app: Flask, name: str, password: str = PASSWORD) -> FlaskClient:
    client = app.test_client()
    login(client, name, password)
    return client


def _cookie(client: FlaskClient) -> str:
    return client.get_cookie("kinerja").value


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("kinerja", _cookie(client))
    return thief


def _is_signed_in(client: FlaskClient) -> bool:
    response = client.get("/users/userinfo/")
    return response.status_code == 200


def test_the_session_lives_on_the_server_and_the_cookie_is_only_an_id(app):
    client = _signed_in(app, "admin")
    cookie = client.get_cookie("kinerja")
    assert cookie.http_only and cookie.same_site == "Lax"
    with app.app_context():
        stored = f"kinerja:session:{cookie.value}"
        assert db.session.scalar(select(HttpSession.id).where(HttpSession.session_id == stored))
    assert "_user_id" not in cookie.value


def test_logout_revokes_a_copied_session_cookie(app):
    _user(app, "keluar")
    client = _signed_in(app, "keluar")
    thief = _copy(app, client)
    assert _is_signed_in(thief)
    client.get("/logout/")
    assert not _is_signed_in(thief)
    assert not _is_signed_in(client)


def test_sign_in_gives_a_new_session_id(app):
    _user(app, "fiksasi")
    client = app.test_client()
    client.get("/login/")  # an anonymous session with a CSRF token
    before = client.get_cookie("kinerja")
    login(client, "fiksasi")
    assert before is None or client.get_cookie("kinerja").value != before.value


def test_own_password_change_ends_other_sessions_and_keeps_this_one(app):
    _user(app, "ganti")
    client = _signed_in(app, "ganti")
    other = _copy(app, _signed_in(app, "ganti"))
    wrong = client.post(
        "/resetmypassword/form",
        data={
            "current_password": "bukan-sandi-lama",
            "password": NEW_PASSWORD,
            "conf_password": NEW_PASSWORD,
        },
    )
    assert "Kata sandi saat ini tidak cocok" in wrong.get_data(as_text=True)
    weak = client.post(
        "/resetmypassword/form",
        data={
            "current_password": PASSWORD,
            "password": "bismillah123456",
            "conf_password": "bismillah123456",
        },
    )
    assert weak.status_code == 200
    assert "umum atau pernah bocor" in weak.get_data(as_text=True)
    assert _is_signed_in(other)
    done = client.post(
        "/resetmypassword/form",
        data={
            "current_password": PASSWORD,
            "password": NEW_PASSWORD,
            "conf_password": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302
    assert _is_signed_in(client)
    assert not _is_signed_in(other)
    login(app.test_client(), "ganti", NEW_PASSWORD)


def test_admin_reset_ends_sessions_and_forces_a_change_at_next_sign_in(app):
    user_id = _user(app, "lupa")
    victim_session = _signed_in(app, "lupa")
    admin = _signed_in(app, "admin")
    weak = admin.post(
        f"/resetpassword/form?pk={user_id}", data={"password": "pendek", "conf_password": "pendek"}
    )
    assert "minimal 12 karakter" in weak.get_data(as_text=True)
    reset = admin.post(
        f"/resetpassword/form?pk={user_id}",
        data={"password": "Sementara-dari-Admin-77", "conf_password": "Sementara-dari-Admin-77"},
    )
    assert reset.status_code == 302
    assert not _is_signed_in(victim_session)
    client = _signed_in(app, "lupa", "Sementara-dari-Admin-77")
    forced = client.get("/users/userinfo/")
    assert forced.status_code == 302 and "/resetmypassword/form" in forced.headers["Location"]
    api = app.test_client().post(
        "/api/v1/security/login",
        json={"username": "lupa", "password": "Sementara-dari-Admin-77", "provider": "db"},
    )
    token = {"Authorization": f"Bearer {api.json['access_token']}"}
    assert app.test_client().get("/api/v1/period/", headers=token).status_code == 401
    client.post(
        "/resetmypassword/form",
        data={
            "current_password": "Sementara-dari-Admin-77",
            "password": NEW_PASSWORD,
            "conf_password": NEW_PASSWORD,
        },
    )
    assert _is_signed_in(client)


def test_users_add_works_and_the_new_login_must_choose_its_password(app):
    admin = _signed_in(app, "admin")
    with app.app_context():
        roles = accounts.ensure_roles(db.session)
        role_id = roles["Pegawai"].id
    form = {
        "first_name": "Baru",
        "last_name": "Pegawai",
        "username": "baru",
        "active": "y",
        "email": "baru@uji.local",
        "roles": str(role_id),
    }
    weak = admin.post(
        "/users/add", data={**form, "password": "qwertyuiop123", "conf_password": "qwertyuiop123"}
    )
    assert weak.status_code == 200
    assert "umum atau pernah bocor" in weak.get_data(as_text=True)
    created = admin.post(
        "/users/add",
        data={
            **form,
            "password": "Awal-dari-Admin-2026!",
            "conf_password": "Awal-dari-Admin-2026!",
        },
    )
    assert created.status_code == 302, created.get_data(as_text=True)[:300]
    client = _signed_in(app, "baru", "Awal-dari-Admin-2026!")
    forced = client.get("/users/userinfo/")
    assert "/resetmypassword/form" in forced.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(AuditLog.id).where(AuditLog.action == "akun.buat"))


def test_admin_end_sessions_revokes_cookies_and_refresh_tokens(app):
    user_id = _user(app, "dicabut")
    client = _signed_in(app, "dicabut")
    tokens = (
        app.test_client()
        .post(
            "/api/v1/security/login",
            json={"username": "dicabut", "password": PASSWORD, "provider": "db", "refresh": True},
        )
        .json
    )
    refresh = {"Authorization": f"Bearer {tokens['refresh_token']}"}
    assert app.test_client().post("/api/v1/security/refresh", headers=refresh).status_code == 200
    admin = _signed_in(app, "admin")
    page = admin.get(f"/users/show/{user_id}").get_data(as_text=True)
    assert "Akhiri semua sesi" in page
    assert admin.post(f"/users/action/endsessions/{user_id}").status_code == 302
    assert not _is_signed_in(client)
    revoked = app.test_client().post("/api/v1/security/refresh", headers=refresh)
    assert revoked.status_code == 401 and "dicabut" in revoked.json["message"]
    access = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert app.test_client().get("/api/v1/period/", headers=access).status_code == 401


def test_idle_timeout_and_absolute_lifetime(app, monkeypatch):
    _user(app, "jam")
    start = sessions.now()
    idle = _signed_in(app, "jam")
    monkeypatch.setattr(sessions, "now", lambda: start + 29 * 60)
    assert _is_signed_in(idle)  # used within 30 minutes: still signed in
    monkeypatch.setattr(sessions, "now", lambda: start + 29 * 60 + 31 * 60)
    assert not _is_signed_in(idle)
    monkeypatch.setattr(sessions, "now", lambda: start)
    busy = _signed_in(app, "jam")
    for hour in range(1, 13):  # used every 25 minutes for 12 hours, then refused
        for quarter in range(3):
            moment = start + (hour - 1) * 3600 + quarter * 1500
            monkeypatch.setattr(sessions, "now", lambda moment=moment: moment)
            assert _is_signed_in(busy)
    monkeypatch.setattr(sessions, "now", lambda: start + 12 * 3600 + 60)
    assert not _is_signed_in(busy)


def test_https_public_url_turns_on_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("KINERJA_PUBLIC_URL", "https://kinerja.acehprov.go.id")
    with fresh_database("sqlite", tmp_path) as url:
        app = build_app(url)
        _user(app, "aman")
        assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
        response = app.test_client().post(
            "/login/",
            data={"username": "aman", "password": PASSWORD},
            base_url="https://kinerja.acehprov.go.id",
        )
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-kinerja=") and "Secure" in cookie and "HttpOnly" in cookie


def test_sessions_live_in_redis_when_configured(tmp_path):
    import redis

    url = "redis://127.0.0.1:6379/11"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis tidak dapat dihubungi: {exc}")
    with fresh_database("sqlite", tmp_path) as db_url:
        app = build_app(db_url, KINERJA_SESSION_REDIS_URL=url)
        _user(app, "merah")
        client = _signed_in(app, "merah")
        key = f"kinerja:session:{_cookie(client)}"
        assert redis.Redis.from_url(url).exists(key)
        thief = _copy(app, client)
        assert _is_signed_in(thief)
        client.get("/logout/")
        assert not redis.Redis.from_url(url).exists(key)
        assert not _is_signed_in(thief)


def _stored_expiry(app: Flask, client: FlaskClient):
    with app.app_context():
        return db.session.scalar(
            select(HttpSession.expiry).where(HttpSession.session_id.endswith(_cookie(client)))
        )


def test_a_session_is_written_once_a_minute_and_never_for_an_asset(app, monkeypatch):
    _user(app, "hemat")
    start = sessions.now()
    monkeypatch.setattr(sessions, "now", lambda: start)
    client = _signed_in(app, "hemat")
    assert _is_signed_in(client)
    written = _stored_expiry(app, client)
    monkeypatch.setattr(sessions, "now", lambda: start + 59)
    with statements(app) as seen:
        assert _is_signed_in(client)
    assert not [s for s in seen if s.lstrip().upper().startswith(("UPDATE", "INSERT"))], seen
    assert _stored_expiry(app, client) == written
    monkeypatch.setattr(sessions, "now", lambda: start + 61)
    assert _is_signed_in(client)
    assert _stored_expiry(app, client) > written  # a minute on: stamped, stored again
    with statements(app) as seen:
        asset = client.get("/static/css/kinerja.css")
    assert asset.status_code == 200 and seen == []
