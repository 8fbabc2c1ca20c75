"""The base of every REST resource: read/write permissions, 400 for bad input, no half-saves,
and never the database's own words in an answer."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from flask import Response, request
from flask_appbuilder import ModelRestApi
from flask_appbuilder.api import BaseApi
from flask_appbuilder.api import safe as fab_safe
from flask_appbuilder.exceptions import ApplyFilterException
from sqlalchemy.exc import DataError, SQLAlchemyError

from app.extensions import db
from app.services.errors import Conflict, InvalidInput, PreconditionRequired, ServiceError
from app.web.permissions import METHOD_PERMISSIONS

DATABASE_REFUSAL = "Data ditolak: nilai tidak sesuai aturan data (pilihan, rujukan atau keunikan)."
DUPLICATE = "Data dengan nilai yang sama sudah ada."
NOT_A_CHOICE = "Nilai tidak termasuk pilihan yang berlaku."
IN_USE_OR_MISSING = "Data rujukan tidak ditemukan, atau data ini masih dipakai data lain."
OUT_OF_RANGE = "Nilai di luar jangkauan yang dapat disimpan."


def json_object(required: bool = False) -> dict[str, Any]:
    """The request's JSON body, which must be an object (400 otherwise); a request without a
    body reads as empty unless the endpoint cannot do without one (`required`)."""
    body = request.get_json(silent=True)
    if isinstance(body, dict):
        return body
    if body is None and not required:
        return {}
    raise InvalidInput("Badan permintaan harus berupa objek JSON.")


def refused(api: BaseApi, exc: ServiceError) -> Response:
    """A service's refusal answered with its own status and words; nothing the request changed
    before it is kept."""
    db.session.rollback()
    return api.response(exc.status, **exc.as_dict())


def safe(method: Callable[..., Response]) -> Callable[..., Response]:
    """FAB's `safe` (400 for a malformed request, a logged 500 for a failure) that first
    answers a service's refusal as `refused` does, and a value the database cannot hold (an id
    in the path past 32 bits) with 400: under FAB's alone both became a 500."""

    @functools.wraps(method)
    def answering_refusals(api: BaseApi, *args: Any, **kwargs: Any) -> Response:
        try:
            return method(api, *args, **kwargs)
        except ServiceError as exc:
            return refused(api, exc)
        except DataError:  # a number past the column's range: PostgreSQL refuses, SQLite not
            db.session.rollback()
            return api.response_400(message=OUT_OF_RANGE)

    return fab_safe(answering_refusals)


def lock_version_from(body: dict[str, Any], required: bool = True) -> int | None:
    """The `lock_version` a client read before changing: required (428 when missing), and a
    whole number (400 otherwise), so that no change skips the optimistic lock."""
    value = body.get("lock_version")
    if value is None:
        if required:
            raise PreconditionRequired(
                "Isian lock_version wajib: baca data terbaru lalu kirim lock_version-nya.",
                field="lock_version",
            )
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput("lock_version harus bilangan bulat.", field="lock_version")
    text = str(value).strip()
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput("lock_version harus bilangan bulat.", field="lock_version")
    return int(text)


def database_refusal(text: str) -> tuple[int, Any]:
    """A constraint's refusal as an Indonesian answer, without SQL: the field when the
    constraint's name tells it (`ck_<table>_<field>`), the kind of rule otherwise."""
    lowered = text.lower()
    if "unique" in lowered or "duplicate key" in lowered:
        return 409, DUPLICATE
    if "foreign key" in lowered:
        return 409, IN_USE_OR_MISSING
    match = re.search(r"\bck_[a-z]+_([a-z_]+)", lowered)
    if match:
        return 400, {match.group(1): [NOT_A_CHOICE]}
    return 400, DATABASE_REFUSAL


class KinerjaModelApi(ModelRestApi):
    """Validation failures answer 400 with the field; services' refusals keep their status."""

    method_permission_name = METHOD_PERMISSIONS
    allow_browser_login = False  # the API is CSRF-exempt: never accept the panel's cookie
    max_page_size = 500

    def response_422(self, message: Any = None) -> Response:
        if isinstance(message, str):  # FAB puts the database's exception text here
            status, body = database_refusal(message)
            return self.response(status, message=body)
        return self.response_400(message=message)

    def _database_error(self, exc: SQLAlchemyError) -> Response:
        self.datamodel.session.rollback()
        status, body = database_refusal(str(getattr(exc, "orig", exc)))
        return self.response(status, message=body)

    def get_list_headless(self, **kwargs: Any) -> Response:
        """A filter value of the wrong type (text for a number) fails in PostgreSQL, not in
        SQLite: either way it is the client's mistake, answered 400."""
        try:
            return super().get_list_headless(**kwargs)
        except (SQLAlchemyError, ApplyFilterException):
            self.datamodel.session.rollback()
            return self.response_400(message="Nilai filter tidak sesuai jenis kolomnya.")

    def post_headless(self) -> Response:
        try:
            self._check_relations(self.add_columns)
            return super().post_headless()
        except ServiceError as exc:
            return refused(self, exc)
        except SQLAlchemyError as exc:  # FAB re-raises a failed insert as it is
            return self._database_error(exc)

    def put_headless(self, pk: Any) -> Response:
        try:
            self._check_relations(self.edit_columns)
            if hasattr(self.datamodel.obj, "lock_version"):
                self._check_lock_version(pk)
            return super().put_headless(pk)
        except ServiceError as exc:
            return refused(self, exc)
        except SQLAlchemyError as exc:
            return self._database_error(exc)

    def delete_headless(self, pk: Any) -> Response:
        try:
            return super().delete_headless(pk)
        except ServiceError as exc:
            return refused(self, exc)
        except SQLAlchemyError as exc:
            return self._database_error(exc)

    def _check_relations(self, columns: list[str]) -> None:
        """A related object is named by its id: FAB looked up whatever came (a list, an
        object) and crashed. Checked before FAB reads the body."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return  # FAB answers 400 itself
        for name in columns or []:
            if name not in body or not self.datamodel.is_relation(name):
                continue
            value = body[name]
            many = self.datamodel.is_relation_many_to_many(
                name
            ) or self.datamodel.is_relation_one_to_many(name)
            values = value if many and isinstance(value, list) else [value]
            if many and not isinstance(value, list):
                values = [object()]  # not a list: refused below
            for item in values:
                if item is None and not many:
                    continue
                if isinstance(item, bool) or not isinstance(item, int) or not 0 < item < 2**31:
                    raise InvalidInput(f"{name} harus berupa id (bilangan bulat).", field=name)

    def _check_lock_version(self, pk: Any) -> None:
        """A generated PUT on a versioned model must name the version it changes."""
        body = request.get_json(silent=True)
        expected = lock_version_from(body if isinstance(body, dict) else {})
        item = self.datamodel.get(pk, self._base_filters)
        if item is not None and item.lock_version != expected:
            raise Conflict(
                "Data telah diubah oleh pengguna lain sejak Anda membacanya; muat ulang.",
                field="lock_version",
            )
