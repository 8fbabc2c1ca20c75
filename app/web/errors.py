"""Refusals become pages (or JSON) with an Indonesian message and the right status, never a
traceback."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.wrappers import Response

from app.extensions import db
from app.services.errors import ServiceError


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def service_error(exc: ServiceError) -> tuple[Response | str, int]:
    db.session.rollback()  # nothing half-done by the refused request may be flushed later
    if _wants_json():
        return jsonify(exc.as_dict()), exc.status
    appbuilder = current_app.appbuilder
    page = render_template(
        "kinerja/error.html",
        message=exc.message,
        status=exc.status,
        appbuilder=appbuilder,
        base_template=appbuilder.base_template,
    )
    return page, exc.status


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(ServiceError, service_error)
