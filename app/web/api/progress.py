"""REST resource `progress`: how far a period is, with the panel's row-level rules.

`GET /api/v1/progress/<period_id>` gives the per-SKPA figures (Kepegawaian: the province; a
pejabat penilai: their subordinates; anyone else 403), `GET /api/v1/progress/<period_id>/behind`
the employees behind. Both read `app/services/reports/progress.py`, as the panel and the Excel
file do.
"""

from __future__ import annotations

from flask import Response, current_app, request
from flask_appbuilder.api import BaseApi, expose, protect
from flask_appbuilder.security.decorators import permission_name

from app.domain.wording import short_date
from app.extensions import db
from app.services.reports import progress
from app.web.actor import current_actor
from app.web.api.base import safe
from app.web.permissions import METHOD_PERMISSIONS, READ


def _int_arg(name: str) -> int | None:
    value = request.args.get(name)
    return int(value) if value and value.isdigit() else None


class ProgressApi(BaseApi):
    resource_name = "progress"
    class_permission_name = "Period"
    method_permission_name = {**METHOD_PERMISSIONS, "get": READ, "behind": READ}
    allow_browser_login = False  # tokens only, like every other resource

    @expose("/<int:period_id>", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def get(self, period_id: int) -> Response:
        """Progress and readiness of a period, per SKPA.
        ---
        get:
          parameters:
          - {in: path, name: period_id, required: true, schema: {type: integer}}
          responses:
            200: {description: "figures per SKPA, the totals, readiness and supervisors behind"}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
        """
        report = progress.period_progress(
            db.session, current_actor(), period_id, current_app.config["KINERJA_PROGRESS_MAX_AGE"]
        )
        period = report.period
        return self.response(
            200,
            period={
                "id": period.id,
                "name": period.name,
                "state": period.state,
                "start_date": short_date(period.start_date),
                "end_date": short_date(period.end_date),
            },
            scope=report.scope,
            without_supervisor=report.without_supervisor,
            readiness={
                "complete": report.readiness.complete,
                "total": report.readiness.total,
                "is_complete": report.readiness.is_complete,
                "text": report.readiness.sentence,
            },
            total=report.total.as_dict(),
            units=[
                {"id": u.unit_id, "code": u.code, "name": u.name, **u.counts.as_dict()}
                for u in report.units
            ],
            supervisors_behind=[
                {
                    "id": s.employee_id,
                    "name": s.name,
                    "nip": s.nip,
                    "incomplete": s.incomplete,
                    "skp_waiting": s.skp_waiting,
                }
                for s in report.supervisors
            ],
        )

    @expose("/<int:period_id>/behind", methods=["GET"])
    @protect()
    @safe
    @permission_name("behind")
    def behind(self, period_id: int) -> Response:
        """The employees behind in one respect, 50 a page.
        ---
        get:
          parameters:
          - {in: path, name: period_id, required: true, schema: {type: integer}}
          - in: query
            name: kind
            schema: {type: string, enum: [belum_lengkap, skp_belum_ada, skp_draf, skp_diajukan,
                                          rekan_belum]}
          - {in: query, name: skpa, schema: {type: integer}, description: "a top-level unit id"}
          - {in: query, name: page, schema: {type: integer, minimum: 1}}
          responses:
            200: {description: one page of employees}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
        """
        listing = progress.behind(
            db.session,
            current_actor(),
            period_id,
            request.args.get("kind", "belum_lengkap"),
            _int_arg("skpa"),
            _int_arg("page") or 1,
        )
        return self.response(
            200,
            kind=listing.kind,
            title=listing.title,
            count=listing.total,
            page=listing.page,
            pages=listing.pages,
            result=[
                {
                    "id": r.employee_id,
                    "nip": r.nip,
                    "name": r.name,
                    "unit": r.unit,
                    "supervisor": r.supervisor,
                    "skp_state": r.skp_state,
                    "evaluation_status": r.evaluation_status,
                }
                for r in listing.rows
            ],
        )
