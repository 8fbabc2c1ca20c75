"""WTForms validators that run the services' rules, so forms show the same Indonesian messages
beside the offending field and keep what the user typed."""

from __future__ import annotations

from typing import Any

from flask import request
from wtforms import Field, Form, ValidationError

from app.extensions import db
from app.services.errors import ServiceError
from app.services.people import organisation


def _editing_id() -> int | None:
    """The primary key being edited (None on an add form)."""
    pk = (request.view_args or {}).get("pk")
    return int(pk) if pk is not None else None


def _data(form: Form, name: str) -> Any:
    field = getattr(form, name, None)
    return field.data if field is not None else None


def _pk(value: Any) -> int | None:
    return getattr(value, "id", value)


def _raise(exc: ServiceError) -> None:
    raise ValidationError(exc.message) from None


def valid_nip(form: Form, field: Field) -> None:
    try:
        organisation.check_nip(
            db.session, (field.data or "").strip(), _data(form, "status") or "PNS", _editing_id()
        )
    except ServiceError as exc:
        _raise(exc)


def valid_golongan(form: Form, field: Field) -> None:
    try:
        organisation.check_golongan(_data(form, "status") or "PNS", field.data or "")
    except ServiceError as exc:
        _raise(exc)


def valid_jenjang(form: Form, field: Field) -> None:
    try:
        kind = getattr(_data(form, "position"), "kind", None)
        organisation.check_jenjang(field.data or None, kind)
    except ServiceError as exc:
        _raise(exc)


def valid_supervisor_nip(form: Form, field: Field) -> None:
    nip = (field.data or "").strip()
    try:
        supervisor = organisation.employee_by_nip(db.session, nip)
        organisation.check_supervisor(db.session, _editing_id(), supervisor.id)
    except ServiceError as exc:
        _raise(exc)


def valid_unit_parent(form: Form, field: Field) -> None:
    try:
        organisation.check_unit_parent(db.session, _editing_id(), _pk(field.data))
    except ServiceError as exc:
        _raise(exc)
