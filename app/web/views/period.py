"""The period page: status transitions, organisation predikat per unit with the distribution
check, and closing with a progress bar."""

from __future__ import annotations

import threading

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.domain.enums import LABELS, ORGANISATION_PREDICATES, PREDICATES
from app.extensions import db
from app.models import CloseJob, Period
from app.services import close, distribution, periods
from app.services.actor import Actor
from app.services.confidentiality import MIN_GROUP
from app.services.errors import ServiceError
from app.web.actor import current_actor
from app.web.charts import distribution_svg
from app.web.permissions import METHOD_PERMISSIONS
from app.web.public_chart import masked_distribution_svg


def _close_in_background(app: object, actor: Actor, period_id: int, reason: str | None) -> None:
    """Run the close job outside the request; failures are kept on the job for the page."""
    with app.app_context():
        try:
            close.close_period(db.session, actor, period_id, reason)
        except Exception as exc:  # the page shows it; the job can be resumed
            db.session.rollback()
            job = db.session.scalar(select(CloseJob).where(CloseJob.period_id == period_id))
            if job is not None:
                job.state, job.error = "failed", str(exc)
                db.session.commit()
        finally:
            db.session.remove()


class PeriodLifecycleView(BaseView):
    """Pages under /periode/."""

    route_base = "/periode"
    class_permission_name = "Period"
    method_permission_name = METHOD_PERMISSIONS
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        rows = db.session.scalars(select(Period).order_by(Period.start_date.desc()))
        return self.render_template("kinerja/periods.html", periods=list(rows))

    @expose("/<int:period_id>")
    @has_access
    def show(self, period_id: int) -> str:
        period = periods.get_period(db.session, period_id)
        actor = current_actor()
        findings = distribution.shown_findings(
            actor, distribution.period_findings(db.session, period)
        )
        charts = {
            f.unit_id: masked_distribution_svg(f.counts, PREDICATES, LABELS, MIN_GROUP)
            if f.masked
            else distribution_svg(f.counts, PREDICATES, LABELS)
            for f in findings
        }
        return self.render_template(
            "kinerja/period.html",
            period=period,
            findings=findings,
            charts=charts,
            units=distribution.led_units(db.session, actor),
            org_predicates=ORGANISATION_PREDICATES,
            job=close.job_status(db.session, period.id),
            can_manage=actor.is_hr,
        )

    @expose("/<int:period_id>/status", methods=["POST"])
    @has_access
    def transition(self, period_id: int) -> Response:
        try:
            target, reason = request.form.get("target", ""), request.form.get("reason")
            periods.transition(db.session, current_actor(), period_id, target, reason)
            flash(_("Status periode diubah."), "success")
        except ServiceError as exc:
            flash(exc.message, "danger")
        return redirect(url_for(".show", period_id=period_id))

    @expose("/<int:period_id>/predikat-unit", methods=["POST"])
    @has_access
    def unit_predicate(self, period_id: int) -> Response:
        try:
            distribution.set_unit_result(
                db.session, current_actor(), period_id, int(request.form.get("unit_id", 0)),
                request.form.get("predicate", ""), request.form.get("note"),
            )  # fmt: skip
            flash(_("Predikat organisasi disimpan."), "success")
        except (ServiceError, ValueError) as exc:
            flash(getattr(exc, "message", str(exc)), "danger")
        return redirect(url_for(".show", period_id=period_id))

    @expose("/<int:period_id>/tutup", methods=["POST"])
    @has_access
    def close(self, period_id: int) -> Response:
        actor = current_actor()
        reason = request.form.get("reason")
        try:
            period = close.check_can_close(db.session, actor, period_id, reason)
        except ServiceError as exc:
            flash(exc.message, "danger")
            return redirect(url_for(".show", period_id=period_id))
        close.open_job(db.session, period, reason)
        app = current_app._get_current_object()
        threading.Thread(
            target=_close_in_background, args=(app, actor, period_id, reason), daemon=True
        ).start()
        flash(_("Penutupan periode dimulai; kemajuan ditampilkan di bawah."), "info")
        return redirect(url_for(".show", period_id=period_id))

    @expose("/<int:period_id>/kemajuan")
    @has_access
    def progress(self, period_id: int) -> Response:
        return jsonify(close.job_status(db.session, period_id))
