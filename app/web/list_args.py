"""Refuse malformed list parameters of the panel before FAB reads them.

FAB turns `page_<View>` and `psize_<View>` into int() and passes `_oc_<View>` to the query's
ORDER BY as given: "abc" or "name;x" ended in a 500. Here each is checked against what the
view offers, and a bad one answers 400 with an Indonesian message.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from app.services.errors import InvalidInput

_NUMBER_PREFIXES = ("page_", "psize_")
_ORDER_PREFIX = "_oc_"
_DIRECTION_PREFIX = "_od_"


def _view_order_columns(view_name: str) -> list[str] | None:
    for view in current_app.appbuilder.baseviews:
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


def register_list_args(app: Flask) -> None:
    app.before_request(check_list_args)
