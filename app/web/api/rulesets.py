"""REST resource `ruleset`: versions (read), and the validate, simulate and publish actions.

Reading (list, show, export) is `can_read` on RuleSet, which Kepegawaian has; the actions are
`can_write`, which only Perumus Kebijakan and Admin have, exactly as in the panel.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask_appbuilder.api import expose, protect
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name

from app.domain.enums import JobState, RulesetStatus
from app.extensions import db
from app.jobs.tasks import submit
from app.models import Job, RuleSetVersion
from app.services import jobs
from app.services.authoring import ruleset_versions as versions
from app.services.authoring import simulation
from app.services.errors import InvalidInput, NotFound
from app.web.actor import current_actor
from app.web.api.base import KinerjaModelApi, json_object, safe
from app.web.permissions import METHOD_PERMISSIONS, READ, WRITE


def _text(body: dict[str, Any]) -> str | None:
    text = body.get("yaml_text")
    if text is not None and not isinstance(text, str):
        raise InvalidInput("'yaml_text' harus berupa teks.", field="yaml_text")
    return text


def _int(body: dict[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"'{key}' harus berupa bilangan bulat.", field=key)
    return value


def _version_json(version: RuleSetVersion) -> dict[str, Any]:
    return {
        **versions.snapshot(version),
        "note": version.note,
        "lock_version": version.lock_version,
    }


class RuleSetApi(KinerjaModelApi):
    resource_name = "ruleset"
    datamodel = SQLAInterface(RuleSetVersion)
    class_permission_name = "RuleSet"
    method_permission_name = {
        **METHOD_PERMISSIONS,
        "export": READ,
        "validate": WRITE,
        "simulate": WRITE,
        "simulation_result": WRITE,
        "publish": WRITE,
        "approve": WRITE,
    }
    include_route_methods = {
        "get",
        "get_list",
        "info",
        "export",
        "validate",
        "simulate",
        "simulation_result",
        "publish",
        "approve",
    }
    list_columns = [
        "id",
        "name",
        "number",
        "status",
        "checksum",
        "note",
        "created_at",
        "published_at",
        "lock_version",
    ]
    show_columns = [*list_columns, "yaml_text"]
    order_columns = ["id", "name", "number", "created_at", "published_at"]
    base_order = ("id", "desc")

    @expose("/<int:pk>/export", methods=["GET"])
    @protect()
    @safe
    @permission_name("export")
    def export(self, pk: int) -> Response:
        """The YAML text of a version, as stored.
        ---
        get:
          responses:
            200: {description: the YAML text, content: {application/x-yaml: {}}}
            404: {$ref: '#/components/responses/404'}
        """
        version = db.session.get(RuleSetVersion, pk)
        if version is None:
            return self.response_404()
        return Response(version.yaml_text, mimetype="application/x-yaml")

    @expose("/validate", methods=["POST"])
    @protect()
    @safe
    @permission_name("validate")
    def validate(self) -> Response:
        """Validate a ruleset text; every issue with its line and column, in Indonesian.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    yaml_text: {type: string}
          responses:
            200: {description: "{valid, issues: [{line, col, message}]}"}
            400: {$ref: '#/components/responses/400'}
        """
        text = _text(json_object(required=True))
        if text is None:
            raise InvalidInput("Kirim 'yaml_text'.", field="yaml_text")
        issues = versions.check(db.session, text)
        return self.response(200, valid=not issues, issues=versions.issues_json(issues))

    @expose("/simulate", methods=["POST"])
    @protect()
    @safe
    @permission_name("simulate")
    def simulate(self) -> Response:
        """Queue a version (`id`) or a text (`yaml_text`) to run on a period in review or
        closed (an open period is refused, 400: its ratings are still being entered); the
        period's results are not changed. The answer is the job; poll `simulation/{job_id}`.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    period_id: {type: integer}
                    id: {type: integer}
                    yaml_text: {type: string}
          responses:
            202: {description: "the queued (or already running) simulation job"}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
        """
        body = json_object(required=True)
        period_id = _int(body, "period_id")
        if period_id is None:
            raise InvalidInput("Kirim 'period_id'.", field="period_id")
        job = simulation.request_simulation(
            db.session,
            current_actor(),
            period_id,
            version_id=_int(body, "id"),
            text=_text(body),
        )
        if job.state == JobState.QUEUED:
            submit(current_app.extensions["celery"], job.id)
        return self.response(202, **self._simulation_json(job.id))

    @expose("/simulation/<int:job_id>", methods=["GET"])
    @protect()
    @safe
    @permission_name("simulate")
    def simulation_result(self, job_id: int) -> Response:
        """A simulation job: its progress and, once done, the stored answer: counts before and
        after per predikat (belum lengkap and tidak valid included), predikat pairs, awards
        gained and lost, the sum of TPP percentages and band changes, per SKPA; the changed
        employees for Kepegawaian and Admin only (others read counts, small ones masked).
        ---
        get:
          parameters:
          - {in: path, name: job_id, required: true, schema: {type: integer}}
          responses:
            200: {description: "state, progress and `result` (null until done)"}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
        """
        simulation.require_officer(current_actor())
        self._simulation_job(job_id)
        return self.response(200, **self._simulation_json(job_id))

    @staticmethod
    def _simulation_job(job_id: int) -> Job:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        if job is None or job.kind != simulation.KIND:
            raise NotFound("Simulasi tidak ditemukan.")
        return job

    def _simulation_json(self, job_id: int) -> dict[str, Any]:
        job = self._simulation_job(job_id)
        status = jobs.status(db.session, job)
        answer = None
        if job.state == JobState.DONE:  # as the caller may read it: a Perumus gets aggregates only
            stored = simulation.stored_simulation(job)
            answer = simulation.answer_for(db.session, current_actor(), stored)
        return {"job": status, "result": answer}

    @expose("/<int:pk>/approve", methods=["POST"])
    @protect()
    @safe
    @permission_name("approve")
    def approve(self, pk: int) -> Response:
        """A second policy officer approves a draft as it stands (four-eyes approval); its
        author cannot.
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    lock_version: {type: integer}
          responses:
            200: {description: the approved draft}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: not a draft, or changed since it was read}
        """
        body = json_object()
        version = versions.approve_version(
            db.session, current_actor(), pk, _int(body, "lock_version")
        )
        return self.response(200, **_version_json(version))

    @expose("/publish", methods=["POST"])
    @protect()
    @safe
    @permission_name("publish")
    def publish(self) -> Response:
        """Publish: a draft (`id` of a draft), an earlier version again (`id` of a published or
        archived version: roll back), or a new text (`yaml_text`). Invalid texts are refused
        with their issues. With four-eyes approval on (`KINERJA_FOUR_EYES`), a draft must be
        approved by a second policy officer first (`/<id>/approve`; else 409), and a new text
        is stored as a draft awaiting that approval (202, `status: draft`); sending the same
        text again once it is approved publishes it. A roll back republishes a text that was
        approved when first published, so it needs no second approval.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    id: {type: integer}
                    lock_version: {type: integer}
                    yaml_text: {type: string}
                    note: {type: string}
          responses:
            201: {description: the published version}
            202: {description: "stored as a draft awaiting a second officer's approval"}
            400: {$ref: '#/components/responses/400'}
            403: {$ref: '#/components/responses/403'}
            404: {$ref: '#/components/responses/404'}
            409: {description: not a draft any more, or changed by someone else}
        """
        body = json_object(required=True)
        note = body.get("note") if isinstance(body.get("note"), str) else None
        version_id, text = _int(body, "id"), _text(body)
        actor = current_actor()
        if version_id is not None and text is None:
            target = versions.get_version(db.session, version_id)
            if target.status == RulesetStatus.DRAFT:
                version = versions.publish_version(
                    db.session, actor, version_id, note, _int(body, "lock_version")
                )
            else:
                version = versions.roll_back(db.session, actor, version_id, note)
        elif text is not None and version_id is None:
            version = versions.publish_text(db.session, actor, text, note)
        else:
            raise InvalidInput("Kirim salah satu: 'id' (versi) atau 'yaml_text' (teks aturan).")
        if version.status == RulesetStatus.DRAFT:
            return self.response(
                202,
                message=(
                    f"Disimpan sebagai draf versi {version.number}; menunggu persetujuan Perumus "
                    "Kebijakan kedua sebelum terbit."
                ),
                **_version_json(version),
            )
        return self.response(201, **_version_json(version))
