"""The base of every REST resource: read/write permissions, 400 for bad input, no half-saves."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_appbuilder import ModelRestApi

from app.services.errors import ServiceError
from app.web.permissions import METHOD_PERMISSIONS


class KinerjaModelApi(ModelRestApi):
    """Validation failures answer 400 with the field; services' refusals keep their status."""

    method_permission_name = METHOD_PERMISSIONS
    allow_browser_login = False  # the API is CSRF-exempt: never accept the panel's cookie
    max_page_size = 500

    def response_422(self, message: Any = None) -> Response:
        return self.response_400(message=message)

    def _refused(self, exc: ServiceError) -> Response:
        self.datamodel.session.rollback()
        return self.response(exc.status, **exc.as_dict())

    def post_headless(self) -> Response:
        try:
            return super().post_headless()
        except ServiceError as exc:
            return self._refused(exc)

    def put_headless(self, pk: Any) -> Response:
        try:
            return super().put_headless(pk)
        except ServiceError as exc:
            return self._refused(exc)

    def delete_headless(self, pk: Any) -> Response:
        try:
            return super().delete_headless(pk)
        except ServiceError as exc:
            return self._refused(exc)
