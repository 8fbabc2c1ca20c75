"""Login protection in front of both login paths (the form and `/api/v1/security/login`): a
name that is blocked after repeated failures is refused with 429 (the Indonesian error page, or
JSON on the API) and `Retry-After`, before its password is checked. Flask-Limiter's
per-address ceiling answers through the same error pages (app/web/errors.py)."""

from __future__ import annotations

import secrets

from flask import Flask, make_response, request
from werkzeug.security import generate_password_hash
from werkzeug.wrappers import Response

from app.extensions import db
from app.ops.metrics import LOGIN_FAILURES
from app.services.people import signin
from app.web.errors import error_page
from app.web.security import client_facts

LOGIN_ENDPOINTS = {"AuthDBView.login", "AuthLDAPView.login", "SecurityApi.login"}
BLOCKED_PAGE = (
    "Terlalu banyak percobaan masuk",
    "Terlalu banyak percobaan masuk yang gagal untuk akun ini.",
    "Tunggu sampai waktu yang disebutkan, lalu coba lagi. Bila Anda lupa kata sandi, hubungi "
    "administrator.",
)


def _typed_name() -> str:
    if request.is_json:
        body = request.get_json(silent=True)
        name = body.get("username") if isinstance(body, dict) else None
    else:
        name = request.form.get("username")
    return name if isinstance(name, str) else ""


def _refuse_blocked_name() -> Response | None:
    if request.method != "POST" or request.endpoint not in LOGIN_ENDPOINTS:
        return None
    name = _typed_name()
    wait = signin.blocked_for(db.session, name) if name else 0
    if not wait:
        return None
    signin.login_refused(db.session, name, client_facts(), wait)
    LOGIN_FAILURES.labels(reason="diblokir").inc()
    message = (
        f"Terlalu banyak percobaan masuk yang gagal untuk akun ini. Coba lagi dalam {wait} detik."
    )
    response = make_response(error_page(429, message, BLOCKED_PAGE))
    response.headers["Retry-After"] = str(wait)
    return response


def register_login_protection(app: Flask) -> None:
    app.before_request(_refuse_blocked_name)
    method = app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt")
    if method != "scrypt" and "AUTH_DB_FAKE_PASSWORD_HASH_CHECK" not in app.config:
        # FAB checks an unknown name against its dummy hash (scrypt at werkzeug's default
        # cost); with another method or cost the dummy must be hashed alike, or the time a
        # sign-in takes tells which names exist
        app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"] = generate_password_hash(
            secrets.token_urlsafe(), method=method
        )
