"""Kinerja Saya: the employee's dashboard, realisation entries, umpan balik and evidence files.

Thin: each handler calls one service and turns its refusal into a message (or a 404).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import current_app, flash, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.domain.wording import MONTHS
from app.extensions import db
from app.models import Employee
from app.services import access
from app.services.access import reachable_by_nip
from app.services.appraisal import dialog as dialog_service
from app.services.appraisal import evidence as evidence_service
from app.services.appraisal import realisation as realisation_service
from app.services.appraisal.appeals import appeals_of, last_day
from app.services.reports import assessment_guide
from app.services.reports import dashboard as dashboard_service
from app.web.actor import current_actor
from app.web.history_chart import history_svg
from app.web.permissions import METHOD_PERMISSIONS, READ, WRITE
from app.web.redirects import same_site_path
from app.web.refusals import refusal_flashed


def evidence_dir() -> Path:
    return Path(current_app.config["KINERJA_EVIDENCE_DIR"])


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PortalView(BaseView):
    """Pages under /kinerja-saya/."""

    route_base = "/kinerja-saya"
    class_permission_name = "Portal"
    method_permission_name = {
        **METHOD_PERMISSIONS,
        "employee": READ,
        "find": READ,
        "realisation": WRITE,
        "edit_realisation": WRITE,
        "feedback": WRITE,
        "upload": WRITE,
        "evidence": READ,
        "delete_evidence": WRITE,
        "guide": READ,
        "guide_pdf": READ,
    }
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        return self._render(None)

    @expose("/pegawai/<int:employee_id>")
    @has_access
    def employee(self, employee_id: int) -> str:
        return self._render(employee_id)

    @expose("/cari")
    @has_access
    def find(self) -> Response:
        """Open a dashboard by NIP (Kepegawaian and supervisors have no own list of everyone)."""
        employee = reachable_by_nip(db.session, current_actor(), request.args.get("nip"))
        return redirect(url_for(".employee", employee_id=employee.id))

    def _render(self, employee_id: int | None) -> str:
        actor = current_actor()
        board = dashboard_service.dashboard(
            db.session, actor, employee_id, _int(request.args.get("periode"))
        )
        rhk = []
        if board.period is not None:
            rhk = realisation_service.approved_rhk(db.session, board.employee, board.period)
        subordinates = []
        if access.is_self(actor, board.employee):
            subordinates = list(
                db.session.scalars(
                    select(Employee)
                    .where(Employee.id.in_(access.subordinates_of(board.employee.id)))
                    .order_by(Employee.name)
                )
            )
        dialog = None
        if board.period is not None and (
            access.role_wide(actor) or dialog_service.role_of(actor, board.employee)
        ):
            dialog = dialog_service.thread(db.session, actor, board.period.id, board.employee.id)
        own_appeals = [
            a for a in appeals_of(db.session, actor)[0] if a.employee_id == board.employee.id
        ]
        return self.render_template(
            "kinerja/portal.html",
            board=board,
            chart=history_svg(board.history),
            rhk=rhk,
            months=realisation_service.months_of(board.period) if board.period else [],
            month_names=MONTHS,
            owner=access.is_self(actor, board.employee),
            is_supervisor=access.is_direct_supervisor(actor, board.employee),
            subordinates=subordinates,
            appeals=own_appeals,
            dialog=dialog,
            appeal_until=last_day(board.period, current_app.config["KINERJA_APPEAL_WINDOW_DAYS"])
            if board.period is not None
            else None,
            max_mb=current_app.config["KINERJA_MAX_UPLOAD_BYTES"] / (1024 * 1024),
        )

    @expose("/cara-penilaian")
    @has_access
    def guide(self) -> str:
        """How the period's published rules assess everyone, in plain Indonesian."""
        period_id = _int(request.args.get("periode"))
        content = assessment_guide.guide(db.session, current_actor(), period_id)
        return self.render_template("kinerja/assessment_guide.html", guide=content)

    @expose("/cara-penilaian.pdf")
    @has_access
    def guide_pdf(self) -> Response:
        """The same page as a printable PDF."""
        period_id = _int(request.args.get("periode"))
        content = assessment_guide.guide(db.session, current_actor(), period_id)
        return send_file(
            io.BytesIO(assessment_guide.guide_pdf(content)),
            mimetype="application/pdf",
            as_attachment=True,
            download_name="cara-penilaian-kinerja.pdf",
        )

    def _back(self) -> Response:
        """Back to the page the form was on (same-site paths only), else the dashboard."""
        return redirect(same_site_path(request.form.get("next")) or url_for(".index"))

    def _act(self, action: Callable[[], object], success: str) -> Response:
        with refusal_flashed():
            action()
            flash(success, "success")
        return self._back()

    @expose("/realisasi", methods=["POST"])
    @has_access
    def realisation(self) -> Response:
        period_month = (request.form.get("month") or "").split("-")
        year = _int(period_month[0]) if len(period_month) == 2 else None
        month = _int(period_month[1]) if len(period_month) == 2 else None
        return self._act(
            lambda: realisation_service.record_realisation(
                db.session,
                current_actor(),
                _int(request.form.get("rhk_id")) or 0,
                year or 0,
                month or 0,
                request.form.get("text"),
                request.form.get("value"),
            ),
            _("Realisasi disimpan."),
        )

    @expose("/realisasi/<int:realisation_id>/ubah", methods=["POST"])
    @has_access
    def edit_realisation(self, realisation_id: int) -> Response:
        return self._act(
            lambda: realisation_service.edit_realisation(
                db.session,
                current_actor(),
                realisation_id,
                request.form.get("text"),
                request.form.get("value"),
                _int(request.form.get("lock_version")),
            ),
            _("Realisasi diubah."),
        )

    @expose("/realisasi/<int:realisation_id>/umpan-balik", methods=["POST"])
    @has_access
    def feedback(self, realisation_id: int) -> Response:
        return self._act(
            lambda: realisation_service.give_feedback(
                db.session, current_actor(), realisation_id, request.form.get("feedback")
            ),
            _("Umpan balik disimpan."),
        )

    @expose("/realisasi/<int:realisation_id>/bukti", methods=["POST"])
    @has_access
    def upload(self, realisation_id: int) -> Response:
        file = request.files.get("file")
        upload = evidence_service.Upload(
            filename=file.filename if file else None,
            stream=file.stream if file else _EMPTY,
        )
        return self._act(
            lambda: evidence_service.upload_evidence(
                db.session,
                current_actor(),
                realisation_id,
                upload,
                evidence_dir(),
                current_app.config["KINERJA_MAX_UPLOAD_BYTES"],
            ),
            _("Bukti dukung diunggah."),
        )

    @expose("/bukti/<int:evidence_id>")
    @has_access
    def evidence(self, evidence_id: int) -> Response:
        row, path = evidence_service.open_evidence(
            db.session, current_actor(), evidence_id, evidence_dir()
        )
        response = send_file(
            path,
            mimetype=row.media_type,
            as_attachment=True,
            download_name=row.original_name,
            max_age=0,
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/bukti/<int:evidence_id>/hapus", methods=["POST"])
    @has_access
    def delete_evidence(self, evidence_id: int) -> Response:
        return self._act(
            lambda: evidence_service.delete_evidence(db.session, current_actor(), evidence_id),
            _("Bukti dukung dihapus."),
        )


class _Empty:
    """A stream with nothing in it, for a form posted without a file."""

    def read(self, size: int = -1) -> bytes:
        return b""


_EMPTY: Any = _Empty()
