"""Refuse malformed request parameters before any view reads them (400, in Indonesian).

- The panel's list parameters: FAB turns `page_<View>` and `psize_<View>` into int() and
  passes `_oc_<View>` to the query's ORDER BY as given; "abc" or "name;x" ended in a 500.
  Each is checked against what the view offers.
- NUL characters in any parameter, form field or JSON string: PostgreSQL cannot store or
  compare them (SQLite can), so they ended in a 500 there; no text a person types has one.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request

from app.services.errors import InvalidInput

_NUMBER_PREFIXES = ("page_", "psize_")
_ORDER_PREFIX = "_oc_"
_DIRECTION_PREFIX = "_od_"


def _view_order_columns(view_name: str) -> list[str] | None:
    for view in current_app.extensions["appbuilder"].baseviews:
        if type(view).__name__ == view_name:
            return list(getattr(view, "order_columns", None) or [])
    return None


def check_list_args() -> None:
    """before_request: every list parameter is well formed, or the request is refused."""
    for name, value in request.args.items(multi=True):
        if name.startswith(_NUMBER_PREFIXES):
            digits = value[1:] if value.startswith("-") else value  # -1: the default size
            if not digits.isdigit() or len(digits) > 9:
                raise InvalidInput("Nomor halaman atau ukuran halaman harus bilangan bulat.")
        elif name.startswith(_ORDER_PREFIX):
            columns = _view_order_columns(name[len(_ORDER_PREFIX) :])
            if columns is None or value not in columns:
                raise InvalidInput("Kolom pengurutan tidak dikenal.")
        elif name.startswith(_DIRECTION_PREFIX) and value not in ("asc", "desc"):
            raise InvalidInput("Arah pengurutan harus asc atau desc.")


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def check_no_nul() -> None:
    """before_request: no NUL character anywhere in the parameters, form or JSON body."""
    values: list[Any] = list(request.args.values())
    if request.method in ("POST", "PUT", "PATCH"):
        if request.is_json:
            values.append(request.get_json(silent=True))
        else:
            values.extend(request.form.values())
    if any(_has_nul(v) for v in values) or "\x00" in request.path:
        raise InvalidInput("Isian memuat karakter NUL yang tidak diperbolehkan.")


def register_params(app: Flask) -> None:
    app.before_request(check_no_nul)
    app.before_request(check_list_args)
