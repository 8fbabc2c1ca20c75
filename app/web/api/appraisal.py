"""REST resources `period`, `indicator`, `skp`, `rating` and `evaluation`.

Reads go through FAB's generated endpoints with the same row-level filters as the panel;
writes that are use cases (rating, period transitions) go through the services.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response
from flask_appbuilder.api import expose, protect
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name
from sqlalchemy import select

from app.domain.dates import parse_dmy
from app.domain.enums import RatingState
from app.extensions import db
from app.models import Evaluation, Indicator, Period, Rating, Skp
from app.services.appraisal import periods, ratings
from app.services.public import confidentiality
from app.services.reports.explain import explain
from app.web.actor import current_actor
from app.web.api.base import KinerjaModelApi, json_object, lock_version_from, safe
from app.web.filters import owner_scope, rating_scope
from app.web.permissions import METHOD_PERMISSIONS, WRITE

READ_ONLY = {"get", "get_list", "info"}


def _period_draft() -> periods.PeriodDraft:
    """The period definition in the request's JSON body."""
    body = json_object()
    return periods.PeriodDraft(
        name=str(body.get("name") or ""),
        kind=str(body.get("kind") or ""),
        start_date=_api_date(body.get("start_date")),
        end_date=_api_date(body.get("end_date")),
    )


def _api_date(value: Any) -> date | None:
    """A JSON date: ISO `yyyy-mm-dd`, or `dd/mm/yyyy` as typed on the forms."""
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return parse_dmy(text)


class PeriodApi(KinerjaModelApi):
    resource_name = "period"
    datamodel = SQLAInterface(Period)
    class_permission_name = "Period"
    method_permission_name = {**METHOD_PERMISSIONS, "transition": WRITE}
    include_route_methods = READ_ONLY | {"post", "put", "transition"}
    list_columns = [
        "id",
        "name",
        "kind",
        "start_date",
        "end_date",
        "state",
        "lock_version",
        "ruleset_version.id",
        "ruleset_version.number",
    ]
    show_columns = list_columns

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @permission_name("post")
    def post(self) -> Response:
        """Create a period (Kepegawaian), checked by the same rules as the panel's form.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    name: {type: string}
                    kind: {type: string, enum: [bulanan, triwulanan, semesteran, tahunan]}
                    start_date: {type: string, description: "yyyy-mm-dd or dd/mm/yyyy"}
                    end_date: {type: string, description: "yyyy-mm-dd or dd/mm/yyyy"}
          responses:
            201: {description: the new period (state draft)}
            400: {description: "every broken rule, by field: {message: {field: [text]}}"}
            403: {$ref: '#/components/responses/403'}
            409: {description: saved by someone else at the same moment}
        """
        period = periods.create_period(db.session, current_actor(), _period_draft())
        return self.response(
            201, id=period.id, state=period.state, lock_version=period.lock_version
        )

    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    @permission_name("put")
    def put(self, pk: int) -> Response:
        """Correct a period's name, kind or dates (Kepegawaian; never once it is closed).
        ---
        put:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    name: {type: string}
                    kind: {type: string, enum: [bulanan, triwulanan, semesteran, tahunan]}
                    start_date: {type: string, description: "yyyy-mm-dd or dd/mm/yyyy"}
                    end_date: {type: string, description: "yyyy-mm-dd or dd/mm/yyyy"}
                    lock_version: {type: integer}
          responses:
            200: {description: the changed period}
            400: {description: "every broken rule, by field: {message: {field: [text]}}"}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: closed, or changed by someone else}
        """
        version = json_object().get("lock_version")
        period = periods.update_period(
            db.session,
            current_actor(),
            pk,
            _period_draft(),
            version if isinstance(version, int) else None,
        )
        return self.response(
            200, id=period.id, state=period.state, lock_version=period.lock_version
        )

    @expose("/<int:pk>/transition", methods=["POST"])
    @protect()
    @safe
    @permission_name("transition")
    def transition(self, pk: int) -> Response:
        """Change a period's state.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    target: {type: string, enum: [open, review]}
                    reason: {type: string}
                    lock_version: {type: integer}
          responses:
            200: {description: new state}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: changed by someone else, or closed}
        """
        body = json_object()
        version = lock_version_from(body, required=False)
        period = periods.transition(
            db.session, current_actor(), pk, str(body.get("target")), body.get("reason"), version
        )
        return self.response(
            200, id=period.id, state=period.state, lock_version=period.lock_version
        )


class IndicatorApi(KinerjaModelApi):
    resource_name = "indicator"
    datamodel = SQLAInterface(Indicator)
    class_permission_name = "Indicator"
    list_columns = [
        "id",
        "code",
        "label",
        "aspect",
        "scale",
        "rater_kinds",
        "jabatan_kinds",
        "is_active",
    ]
    show_columns = list_columns + ["description"]
    add_columns = edit_columns = [
        "code",
        "label",
        "description",
        "aspect",
        "scale",
        "rater_kinds",
        "jabatan_kinds",
        "is_active",
    ]


class SkpApi(KinerjaModelApi):
    resource_name = "skp"
    datamodel = SQLAInterface(Skp)
    class_permission_name = "Skp"
    base_filters = owner_scope("employee_id")
    include_route_methods = READ_ONLY
    list_columns = [
        "id",
        "period.id",
        "period.name",
        "employee.id",
        "employee.nip",
        "state",
        "supervisor_comment",
    ]
    show_columns = list_columns + ["rhk.position", "rhk.kind", "rhk.text", "rhk.iki", "rhk.target"]


class RatingApi(KinerjaModelApi):
    """Ratings: read what one may see; write one value at a time through the rating service,
    with `lock_version` for optimistic locking (409 when someone changed it first)."""

    resource_name = "rating"
    datamodel = SQLAInterface(Rating)
    class_permission_name = "Rating"
    base_filters = rating_scope()
    include_route_methods = READ_ONLY | {"post", "put"}
    list_columns = [
        "id",
        "period.id",
        "ratee.id",
        "ratee.nip",
        "rater.id",
        "rater_kind",
        "indicator.code",
        "rhk.id",
        "value_level",
        "value_number",
        "comment",
        "state",
        "lock_version",
    ]
    show_columns = list_columns

    def _write(self, body: dict[str, Any], lock_version: int | None) -> Response:
        try:
            key = (
                f"indicator:{body['indicator']}"
                if body.get("indicator")
                else f"rhk:{int(body['rhk'])}"
            )
            entry = ratings.Entry(
                key=key,
                value=body.get("value"),
                comment=body.get("comment"),
                lock_version=lock_version,
            )
            result = ratings.save_ratings(
                db.session,
                current_actor(),
                int(body["period"]),
                int(body["ratee"]),
                [entry],
                submit=bool(body.get("submit")),
            )
        except (KeyError, TypeError, ValueError):
            return self.response_400(
                message="Isian wajib: period, ratee, indicator atau rhk, value."
            )
        return self.response(
            200,
            saved=result.saved,
            submitted=result.submitted,
            predicate=result.shown.predicate if result.shown else None,
        )

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @permission_name("post")
    def post(self) -> Response:
        """Save (or submit) one rating.
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
                    indicator: {type: string}
                    rhk: {type: integer}
                    value: {}
                    comment: {type: string}
                    submit: {type: boolean}
          responses:
            200: {description: saved}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: closed period or concurrent change}
        """
        return self._write(json_object(), None)

    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    @permission_name("put")
    def put(self, pk: int) -> Response:
        """Change one rating; send the `lock_version` you read.
        ---
        put:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  required: [lock_version]
                  properties:
                    value: {}
                    comment: {type: string}
                    submit: {type: boolean}
                    lock_version: {type: integer}
          responses:
            200: {description: saved}
            400: {$ref: '#/components/responses/400'}
            404: {$ref: '#/components/responses/404'}
            409: {description: changed by someone else, or closed period}
            428: {description: lock_version missing}
        """
        rating = self.datamodel.get(pk, self._base_filters)
        if rating is None:
            return self.response_404()
        body = json_object()
        target = {
            "period": rating.period_id,
            "ratee": rating.ratee_id,
            "indicator": rating.indicator.code if rating.indicator else None,
            "rhk": rating.rhk_id,
            "value": body.get("value"),
            "comment": body.get("comment", rating.comment),
            "submit": body.get("submit", rating.state == RatingState.SUBMITTED),
        }
        if rating.rater_id != current_actor().employee_id:
            return self.response_403()
        version = lock_version_from(body)
        return self._write(target, version)


class EvaluationApi(KinerjaModelApi):
    """Evaluations as the caller may read them (`app.services.public.confidentiality`): values that
    fewer than three peers' (or public) answers change are null, and `kerahasiaan` says why."""

    resource_name = "evaluation"
    datamodel = SQLAInterface(Evaluation)
    class_permission_name = "Evaluation"
    base_filters = owner_scope("employee_id")
    include_route_methods = READ_ONLY
    list_columns = [
        "id",
        "period.id",
        "employee.id",
        "employee.nip",
        "status",
        "predicate",
        "override_predicate",
        "ruleset_version.id",
        "computed_at",
    ]
    show_columns = list_columns + ["result", "override_reason"]

    def pre_get(self, data: dict[str, Any]) -> None:
        """The evaluation as the caller may read it (confidentiality), and its explanation in
        sentences (the renderer every screen and the PDF use) beside the engine's entries in
        `result.explanation`."""
        evaluation = db.session.get(Evaluation, data["id"])
        shown = confidentiality.shown_evaluation(db.session, current_actor(), evaluation)
        item = data.get("result") or {}
        _show(item, shown)
        item["explanation"] = explain(self.datamodel.session, item.get("result"))

    def pre_get_list(self, data: dict[str, Any]) -> None:
        ids = list(data.get("ids") or [])
        rows = db.session.scalars(select(Evaluation).where(Evaluation.id.in_(ids)))
        shown = confidentiality.shown_evaluations(db.session, current_actor(), rows)
        for pk, row in zip(ids, data["result"], strict=True):
            _show(row, shown[pk])


def _show(row: dict[str, Any], shown: confidentiality.Shown) -> None:
    """Replace the stored values in one answer row with what the caller may read."""
    for column, value in (
        ("result", shown.result),
        ("predicate", shown.predicate),
        ("status", shown.status),
    ):
        if column in row:
            row[column] = value
    row["kerahasiaan"] = shown.note
