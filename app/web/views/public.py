"""Public pages (no login): a unit's feedback form and QR code, and the accountability page.

The feedback POST is throttled per client by the app's Flask-Limiter (FAB's instance, whose
storage follows RATELIMIT_STORAGE_URI: Redis when configured, memory otherwise); the limit is
attached in `register` once the blueprint exists.
"""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose
from flask_appbuilder.security.decorators import limit
from flask_limiter import RequestLimit
from werkzeug.wrappers import Response as BaseResponse

from app.domain.enums import PREDICATES, label
from app.extensions import db
from app.services.errors import ServiceError
from app.services.public import accountability
from app.services.public import public_feedback as feedback_service
from app.web.errors import error_page
from app.web.links import public_url_for
from app.web.public_chart import masked_distribution_svg


def hash_salt() -> str:
    """The salt of client hashes: its own setting, else derived from SECRET_KEY."""
    return current_app.config.get("KINERJA_CLIENT_HASH_SALT") or (
        "kinerja-client|" + str(current_app.config["SECRET_KEY"])
    )


def _feedback_limit() -> str:
    return current_app.config["KINERJA_PUBLIC_FEEDBACK_LIMIT"]


def _throttled(_limit: RequestLimit) -> BaseResponse:
    """The 429 page, in Indonesian, for a client that sends too much feedback."""
    body, _status = error_page(
        429,
        "Terlalu banyak penilaian dari perangkat ini dalam waktu singkat. Silakan coba lagi nanti.",
    )
    if isinstance(body, BaseResponse):  # the JSON answer, for a client that asked for JSON
        body.status_code = 429
        return body
    return Response(body, status=429, mimetype="text/html")


class PublicView(BaseView):
    """Pages under /publik/; no @has_access: citizens do not sign in."""

    route_base = "/publik"
    default_view = "index"

    @expose("/")
    def index(self) -> str:
        min_group = current_app.config["KINERJA_PUBLIC_MIN_GROUP"]
        periods = [
            accountability.period_figures(db.session, period, min_group)
            for period in accountability.closed_periods(db.session)
        ]
        labels = {p: label(p) for p in PREDICATES}
        charts = {
            (figures.period.id, unit.unit.id): masked_distribution_svg(
                unit.distribution, PREDICATES, labels, min_group
            )
            for figures in periods
            for unit in figures.units
            if unit.distribution is not None
        }
        return self.render_template(
            "kinerja/public_accountability.html",
            periods=periods,
            charts=charts,
            current=accountability.current_satisfaction(db.session, min_group),
            units=feedback_service.public_units(db.session),
            min_group=min_group,
        )

    @expose("/unit/<code>", methods=["GET", "POST"])
    @limit(_feedback_limit, methods=["POST"], on_breach=_throttled)
    def feedback(self, code: str) -> str | BaseResponse | tuple[str, int]:
        unit = feedback_service.public_unit(db.session, code)
        if request.method == "POST":
            try:
                feedback_service.submit_feedback(
                    db.session,
                    code,
                    request.form.get("stars"),
                    request.form.get("comment"),
                    request.remote_addr,
                    hash_salt(),
                    honeypot=request.form.get("website"),
                )
            except ServiceError as exc:
                if exc.status == 404:
                    raise
                flash(exc.message, "danger")
                return self.render_template(
                    "kinerja/public_feedback.html", unit=unit, form=request.form
                ), exc.status
            return redirect(url_for(".thanks", code=code))
        return self.render_template("kinerja/public_feedback.html", unit=unit, form={})

    @expose("/unit/<code>/terima-kasih")
    def thanks(self, code: str) -> str:
        unit = feedback_service.public_unit(db.session, code)
        return self.render_template("kinerja/public_thanks.html", unit=unit)

    @expose("/unit/<code>/qr.png")
    def qr(self, code: str) -> Response:
        unit = feedback_service.public_unit(db.session, code)
        link = public_url_for("PublicView.feedback", code=unit.code)
        response = Response(feedback_service.qr_png(link), mimetype="image/png")
        response.headers["Content-Disposition"] = f'inline; filename="qr-{unit.code}.png"'
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response
