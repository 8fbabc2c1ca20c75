"""Rekan penilai: the pejabat penilai (own subordinates) and Kepegawaian (any unit) choose
the colleagues asked for peer feedback, by hand or drawn at random from the ratee's unit."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.domain.enums import PeriodState
from app.extensions import db
from app.models import Period, Unit
from app.services.appraisal import peers as peer_service
from app.services.people.organisation import name_choices
from app.web.actor import current_actor
from app.web.permissions import METHOD_PERMISSIONS, READ, WRITE
from app.web.refusals import refusal_flashed

DEFAULT_DRAW = peer_service.MIN_PEERS


class PeerView(BaseView):
    """Pages under /rekan/."""

    route_base = "/rekan"
    class_permission_name = "Peer"
    method_permission_name = {
        **METHOD_PERMISSIONS,
        "index": READ,
        "ratee": READ,
        "assign": WRITE,
        "draw": WRITE,
        "remove": WRITE,
    }
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        actor = current_actor()
        open_periods = list(
            db.session.scalars(
                select(Period).where(Period.state == PeriodState.OPEN).order_by(Period.start_date)
            )
        )
        chosen = request.args.get("periode", type=int)
        period = next((p for p in open_periods if p.id == chosen), None) or (
            open_periods[0] if open_periods else None
        )
        unit_id = request.args.get("unit", type=int) if actor.is_hr else None
        rows = peer_service.ratees(db.session, actor, period.id, unit_id) if period else []
        return self.render_template(
            "kinerja/peers.html",
            periods=open_periods,
            period=period,
            rows=rows,
            units=name_choices(db.session, Unit) if actor.is_hr else [],
            unit_id=unit_id,
            is_hr=actor.is_hr,
            min_peers=peer_service.MIN_PEERS,
        )

    @expose("/<int:period_id>/<int:ratee_id>")
    @has_access
    def ratee(self, period_id: int, ratee_id: int) -> str:
        plan = peer_service.peer_plan(db.session, current_actor(), period_id, ratee_id)
        return self.render_template(
            "kinerja/peer_plan.html",
            plan=plan,
            min_peers=peer_service.MIN_PEERS,
            draw_count=max(1, peer_service.MIN_PEERS - len(plan.peers)),
        )

    @expose("/<int:period_id>/<int:ratee_id>/tetapkan", methods=["POST"])
    @has_access
    def assign(self, period_id: int, ratee_id: int) -> Response:
        chosen = [int(v) for v in request.form.getlist("peer") if v.isdigit()]
        return self._act(
            period_id,
            ratee_id,
            lambda: peer_service.assign_peers(
                db.session, current_actor(), period_id, ratee_id, chosen
            ),
            _("Rekan penilai ditetapkan."),
        )

    @expose("/<int:period_id>/<int:ratee_id>/undi", methods=["POST"])
    @has_access
    def draw(self, period_id: int, ratee_id: int) -> Response:
        count = request.form.get("count", type=int) or 0
        return self._act(
            period_id,
            ratee_id,
            lambda: peer_service.draw_peers(
                db.session, current_actor(), period_id, ratee_id, count, seed=None
            ),
            _("Rekan penilai diundi dari unit kerja pegawai."),
        )

    @expose("/<int:period_id>/<int:ratee_id>/batalkan/<int:peer_id>", methods=["POST"])
    @has_access
    def remove(self, period_id: int, ratee_id: int, peer_id: int) -> Response:
        return self._act(
            period_id,
            ratee_id,
            lambda: peer_service.remove_peer(
                db.session, current_actor(), period_id, ratee_id, peer_id
            ),
            _("Permintaan kepada rekan dibatalkan."),
        )

    def _act(
        self, period_id: int, ratee_id: int, action: Callable[[], object], success: str
    ) -> Response:
        """Run a use case; a refusal is shown on the same page (not found stays a 404)."""
        with refusal_flashed():
            action()
            flash(success, "success")
        return redirect(url_for(".ratee", period_id=period_id, ratee_id=ratee_id))
