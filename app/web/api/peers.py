"""REST resource `peer`: peer assignments, with the row-level rules of the peers screen.

Reading lists what the screen shows (Kepegawaian: all; a pejabat penilai: own subordinates').
Writing goes through the same use cases: POST assigns chosen colleagues or draws them at
random from the ratee's unit; DELETE withdraws a request nobody has answered yet.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_appbuilder.api import expose, protect
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name

from app.extensions import db
from app.models import PeerAssignment
from app.services.appraisal import peers
from app.web.actor import current_actor
from app.web.api.base import KinerjaModelApi, json_object, safe


class VisiblePeerAssignments(BaseFilter):
    """Peer assignments the signed-in user manages."""

    name = "Penugasan rekan yang boleh dilihat"
    arg_name = "visible_peer"

    def apply(self, query: Any, value: Any) -> Any:
        return query.filter(peers.visible_assignments(current_actor()))


def _ids(value: Any) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        raise TypeError("peers must be a list of employee ids")
    return value


class PeerAssignmentApi(KinerjaModelApi):
    resource_name = "peer"
    datamodel = SQLAInterface(PeerAssignment)
    class_permission_name = "Peer"
    base_filters = [["id", VisiblePeerAssignments, None]]
    include_route_methods = {"get", "get_list", "info", "post", "delete"}
    list_columns = [
        "id",
        "period.id",
        "period.name",
        "ratee.id",
        "ratee.nip",
        "ratee.name",
        "peer.id",
        "peer.nip",
        "peer.name",
        "assigned_by",
        "created_at",
    ]
    show_columns = list_columns

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @permission_name("post")
    def post(self) -> Response:
        """Ask colleagues for peer feedback on a ratee: chosen (`peers`) or drawn (`draw`).
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    period: {type: integer}
                    ratee: {type: integer}
                    peers: {type: array, items: {type: integer}}
                    draw: {type: integer, description: how many to draw from the ratee's unit}
                    seed: {type: integer}
          responses:
            201: {description: the new assignments}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: the period is not open}
        """
        body = json_object()
        actor = current_actor()
        try:
            period, ratee = int(body["period"]), int(body["ratee"])
            if body.get("draw") is not None:
                seed = body.get("seed")
                added = peers.draw_peers(
                    db.session,
                    actor,
                    period,
                    ratee,
                    int(body["draw"]),
                    int(seed) if seed is not None else None,
                )
            else:
                added = peers.assign_peers(
                    db.session, actor, period, ratee, _ids(body.get("peers"))
                )
        except (KeyError, TypeError, ValueError):
            return self.response_400(
                message="Isian wajib: period, ratee, dan peers (daftar id pegawai) atau draw."
            )
        return self.response(
            201,
            result=[
                {"id": a.id, "period_id": a.period_id, "ratee_id": a.ratee_id, "peer_id": a.peer_id}
                for a in added
            ],
        )

    @expose("/<int:pk>", methods=["DELETE"])
    @protect()
    @safe
    @permission_name("delete")
    def delete(self, pk: int) -> Response:
        """Withdraw a request the peer has not answered.
        ---
        delete:
          responses:
            200: {description: withdrawn}
            404: {$ref: '#/components/responses/404'}
            409: {description: already answered, or the period is not open}
        """
        assignment = self.datamodel.get(pk, self._base_filters)
        if assignment is None:
            return self.response_404()
        peers.remove_peer(
            db.session,
            current_actor(),
            assignment.period_id,
            assignment.ratee_id,
            assignment.peer_id,
        )
        return self.response(200, message="Permintaan kepada rekan dibatalkan.")
