"""Dialog kinerja pages (/dialog-kinerja/) and the ekspektasi khusus pimpinan of an SKP
(/ekspektasi-khusus/). Thin: each handler calls one service and shows its refusal."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import AppBuilder, BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from werkzeug.wrappers import Response

from app.domain.enums import DIALOG_KINDS
from app.extensions import db
from app.services.appraisal import dialog as dialog_service
from app.services.appraisal import expectations as expectation_service
from app.services.appraisal.skp import get_skp
from app.web.actor import current_actor
from app.web.permissions import READ, WRITE
from app.web.refusals import refusal_flashed


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class DialogView(BaseView):
    """The thread of one employee in one period, and the form to add to it. The employee's own
    pages ("Portal"): the service decides who reads and who writes."""

    route_base = "/dialog-kinerja"
    class_permission_name = "Portal"
    method_permission_name = {"thread": READ, "add": WRITE}

    @expose("/<int:period_id>/<int:employee_id>")
    @has_access
    def thread(self, period_id: int, employee_id: int) -> str:
        found = dialog_service.thread(db.session, current_actor(), period_id, employee_id)
        return self.render_template(
            "kinerja/dialog.html",
            dialog=found,
            kinds=DIALOG_KINDS,
            describe=dialog_service.describe,
        )

    @expose("/<int:period_id>/<int:employee_id>/tambah", methods=["POST"])
    @has_access
    def add(self, period_id: int, employee_id: int) -> Response:
        form = request.form
        draft = dialog_service.EntryDraft(
            held_on=form.get("held_on"),
            topic=form.get("topic"),
            notes=form.get("notes"),
            follow_up=form.get("follow_up"),
            kind=form.get("kind"),
            reply_to_id=_int(form.get("reply_to")),
        )
        with refusal_flashed():
            dialog_service.add_entry(db.session, current_actor(), period_id, employee_id, draft)
            flash(_("Catatan dialog kinerja disimpan."), "success")
        return redirect(url_for(".thread", period_id=period_id, employee_id=employee_id))


class ExpectationView(BaseView):
    """The ekspektasi khusus pimpinan of an SKP: read by whoever may see the SKP, written by the
    owner's pejabat penilai."""

    route_base = "/ekspektasi-khusus"
    class_permission_name = "Skp"
    method_permission_name = {"show": READ, "save": WRITE}

    @expose("/<int:skp_id>")
    @has_access
    def show(self, skp_id: int) -> str:
        actor = current_actor()
        skp = get_skp(db.session, actor, skp_id)
        return self.render_template(
            "kinerja/expectations.html",
            skp=skp,
            values=expectation_service.of_skp(db.session, actor, skp_id),
            may_set=expectation_service.may_set(actor, skp),
        )

    @expose("/<int:skp_id>/simpan", methods=["POST"])
    @has_access
    def save(self, skp_id: int) -> Response:
        texts = {
            key.removeprefix("expectation-"): value
            for key, value in request.form.items()
            if key.startswith("expectation-")
        }
        with refusal_flashed():
            expectation_service.set_expectations(db.session, current_actor(), skp_id, texts)
            flash(_("Ekspektasi khusus pimpinan disimpan."), "success")
        return redirect(url_for(".show", skp_id=skp_id))


def register(appbuilder: AppBuilder) -> None:
    """Both views are reached from the dashboard, the SKP and the rating form: no menu."""
    appbuilder.add_view_no_menu(DialogView)
    appbuilder.add_view_no_menu(ExpectationView)
