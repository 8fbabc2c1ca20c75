"""The period page: status transitions, organisation predikat per unit with the distribution
check, and closing with a progress bar."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.domain.enums import LABELS, ORGANISATION_PREDICATES, PREDICATES
from app.extensions import db
from app.jobs.tasks import submit
from app.models import Period
from app.services import close, distribution, jobs, periods
from app.services.errors import ServiceError
from app.web.actor import current_actor
from app.web.charts import distribution_svg
from app.web.permissions import METHOD_PERMISSIONS


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
        findings = distribution.period_findings(db.session, period)
        charts = {f.unit_id: distribution_svg(f.counts, PREDICATES, LABELS) for f in findings}
        actor = current_actor()
        return self.render_template(
            "kinerja/period.html",
            period=period,
            findings=findings,
            charts=charts,
            units=distribution.led_units(db.session, actor),
            org_predicates=ORGANISATION_PREDICATES,
            job=close.job_status(db.session, period.id),
            job_url=url_for(".progress", period_id=period.id),
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
        """Queue the close (one per period, claimed in the database) and show its progress."""
        try:
            job = close.request_close(
                db.session, current_actor(), period_id, request.form.get("reason")
            )
        except jobs.JobRunning as exc:
            flash(exc.message, "warning")
            return redirect(url_for(".show", period_id=period_id))
        except ServiceError as exc:
            flash(exc.message, "danger")
            return redirect(url_for(".show", period_id=period_id))
        submit(current_app.extensions["celery"], job.id)
        flash(_("Penutupan periode dimulai; kemajuan ditampilkan di bawah."), "info")
        return redirect(url_for(".show", period_id=period_id))

    @expose("/<int:period_id>/kemajuan")
    @has_access
    def progress(self, period_id: int) -> Response:
        return jsonify(close.job_status(db.session, period_id))
