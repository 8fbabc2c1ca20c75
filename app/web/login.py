"""Login protection in front of both login paths (the form and `/api/v1/security/login`): a
name that is blocked after repeated failures is refused with 429 before its password is
checked, and every 429 (also Flask-Limiter's per-address ceiling) answers in Indonesian."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from app.extensions import db
from app.services import signin
from app.web.security import client_facts

LOGIN_ENDPOINTS = {"AuthDBView.login", "SecurityApi.login"}


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
    message = (f"Terlalu banyak percobaan masuk yang gagal untuk akun ini. "
               f"Coba lagi dalam {wait} detik.")  # fmt: skip
    response = _too_many(message)
    response.headers["Retry-After"] = str(wait)
    return response


def _too_many(message: str) -> Response:
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        response = jsonify(message=message)
    else:
        appbuilder = current_app.appbuilder
        response = Response(
            render_template("kinerja/error.html", message=message, status=429,
                            appbuilder=appbuilder, base_template=appbuilder.base_template),
            mimetype="text/html",
        )  # fmt: skip
    response.status_code = 429
    return response


def too_many_requests(exc: TooManyRequests) -> Response:
    """Flask-Limiter's refusals (per-address ceilings) in Indonesian, with its Retry-After;
    a limit that brings its own answer (`on_breach`) keeps it."""
    if exc.response is not None:
        return exc.response
    response = _too_many("Terlalu banyak permintaan dari alamat ini. Tunggu sebentar, lalu "
                         "coba lagi.")  # fmt: skip
    original = exc.get_response()
    if "Retry-After" in original.headers:
        response.headers["Retry-After"] = original.headers["Retry-After"]
    return response


def register_login_protection(app: Flask) -> None:
    app.before_request(_refuse_blocked_name)
    app.register_error_handler(429, too_many_requests)
