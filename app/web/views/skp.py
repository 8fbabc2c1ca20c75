"""SKP pages: the employee's own SKP for a period, and the supervisor's review."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from werkzeug.wrappers import Response

from app.domain.enums import PeriodState, RhkKind, SkpState
from app.extensions import db
from app.models import Skp
from app.services import access
from app.services.appraisal import periods
from app.services.appraisal import skp as skp_service
from app.services.errors import ServiceError
from app.web.actor import current_actor
from app.web.permissions import METHOD_PERMISSIONS, WRITE
from app.web.refusals import refusal_flashed


def _draft() -> skp_service.RhkDraft:
    """The RHK fields of the posted form."""
    return skp_service.RhkDraft(
        text=request.form.get("text", ""),
        iki=request.form.get("iki", ""),
        target=request.form.get("target", ""),
        kind=request.form.get("kind", RhkKind.UTAMA),
        superior_rhk=request.form.get("superior_rhk"),
    )


class SkpView(BaseView):
    """Pages under /skp/."""

    route_base = "/skp"
    class_permission_name = "Skp"
    method_permission_name = {
        **METHOD_PERMISSIONS,
        "mine": WRITE,
        "add_rhk": WRITE,
        "edit_rhk": WRITE,
        "delete_rhk": WRITE,
        "submit": WRITE,
        "review": WRITE,
    }
    default_view = "mine"

    @expose("/saya/")
    @expose("/saya/<int:period_id>")
    @has_access
    def mine(self, period_id: int | None = None) -> str | Response:
        actor = current_actor()
        requested = period_id or request.args.get("periode", type=int)
        choice = periods.period_choice(db.session, actor, requested)
        if choice.selected is None:
            flash(_("Belum ada periode penilaian."), "info")
            return redirect(self.appbuilder.get_url_for_index)
        try:
            skp = skp_service.own_skp(db.session, actor, choice.selected.id)
        except ServiceError as exc:  # e.g. no SKP was made in a period that has closed
            flash(exc.message, "warning")
            if requested is None:
                return redirect(self.appbuilder.get_url_for_index)
            return redirect(url_for(".mine"))
        return self._page(skp, choice)

    @expose("/<int:skp_id>")
    @has_access
    def show(self, skp_id: int) -> str:
        return self._page(skp_service.get_skp(db.session, current_actor(), skp_id))

    def _page(self, skp: Skp, choice: periods.PeriodChoice | None = None) -> str:
        """The SKP page; `choice` (the period selector) on the employee's own "SKP Saya"."""
        actor = current_actor()
        owner = access.is_self(actor, skp.employee)
        return self.render_template(
            "kinerja/skp.html",
            skp=skp,
            owner=owner,
            reviewer=access.is_direct_supervisor(actor, skp.employee),
            choice=choice,
            editable=owner
            and skp.state in (SkpState.DRAFT, SkpState.RETURNED)
            and skp.period.state == PeriodState.OPEN,
            diff=skp_service.changes_since_return(db.session, skp)
            if skp.state in (SkpState.SUBMITTED, SkpState.RETURNED)
            else None,
        )

    @expose("/<int:skp_id>/rhk", methods=["POST"])
    @has_access
    def add_rhk(self, skp_id: int) -> Response:
        draft = _draft()
        return self._act(
            skp_id,
            lambda: skp_service.add_rhk(db.session, current_actor(), skp_id, draft),
            _("RHK ditambahkan."),
        )

    @expose("/<int:skp_id>/rhk/<int:rhk_id>", methods=["POST"])
    @has_access
    def edit_rhk(self, skp_id: int, rhk_id: int) -> Response:
        draft = _draft()
        return self._act(
            skp_id,
            lambda: skp_service.update_rhk(db.session, current_actor(), skp_id, rhk_id, draft),
            _("RHK diubah."),
        )

    @expose("/<int:skp_id>/rhk/<int:rhk_id>/hapus", methods=["POST"])
    @has_access
    def delete_rhk(self, skp_id: int, rhk_id: int) -> Response:
        return self._act(
            skp_id,
            lambda: skp_service.delete_rhk(db.session, current_actor(), skp_id, rhk_id),
            _("RHK dihapus."),
        )

    @expose("/<int:skp_id>/ajukan", methods=["POST"])
    @has_access
    def submit(self, skp_id: int) -> Response:
        return self._act(
            skp_id,
            lambda: skp_service.submit(db.session, current_actor(), skp_id),
            _("SKP diajukan kepada atasan."),
        )

    @expose("/<int:skp_id>/tinjau", methods=["POST"])
    @has_access
    def review(self, skp_id: int) -> Response:
        approve = request.form.get("decision") == "approve"
        return self._act(
            skp_id,
            lambda: skp_service.review(
                db.session, current_actor(), skp_id, approve, request.form.get("comment")
            ),
            _("SKP disetujui.") if approve else _("SKP dikembalikan dengan catatan."),
        )

    def _act(self, skp_id: int, action, success: str) -> Response:  # noqa: ANN001
        with refusal_flashed():
            action()
            flash(success, "success")
        return redirect(url_for(".show", skp_id=skp_id))
