"""The pickers' server side: JSON matches for what the user typed, in Select2's shape."""

from __future__ import annotations

from collections.abc import Callable

from flask import jsonify, request
from flask_appbuilder import BaseView, expose, has_access
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app.extensions import db
from app.services.actor import Actor
from app.services.people import lookup
from app.web.actor import current_actor
from app.web.permissions import METHOD_PERMISSIONS, READ

Search = Callable[[Session, Actor, str], list[lookup.Choice]]


def _answer(search: Search) -> Response:
    matches = search(db.session, current_actor(), request.args.get("q", ""))
    return jsonify({"results": [{"id": c.id, "text": c.text} for c in matches]})


class LookupView(BaseView):
    """/cari/...: every signed-in user may search, and finds only what they may see."""

    route_base = "/cari"
    class_permission_name = "Beranda"
    method_permission_name = {
        **METHOD_PERMISSIONS,
        "employees": READ,
        "units": READ,
        "positions": READ,
    }

    @expose("/pegawai")
    @has_access
    def employees(self) -> Response:
        return _answer(lookup.employees)

    @expose("/unit")
    @has_access
    def units(self) -> Response:
        return _answer(lookup.units)

    @expose("/jabatan")
    @has_access
    def positions(self) -> Response:
        return _answer(lookup.positions)


def employee_picker() -> Callable[[list[int]], list[lookup.Choice]]:
    """Names of the employees already chosen in a filter (as `TypeaheadWidget.chosen`)."""
    return lambda ids: lookup.employee_choices(db.session, current_actor(), ids)
