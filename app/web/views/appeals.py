"""Keberatan pages: the employee files one, the atasan pejabat penilai decides it."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from werkzeug.wrappers import Response

from app.domain.enums import PREDICATES
from app.extensions import db
from app.models import Evaluation
from app.services.appraisal import appeals as appeal_service
from app.web.actor import current_actor
from app.web.permissions import METHOD_PERMISSIONS, WRITE
from app.web.refusals import refusal_flashed


class AppealView(BaseView):
    """Pages under /keberatan/."""

    route_base = "/keberatan"
    class_permission_name = "Appeal"
    method_permission_name = {**METHOD_PERMISSIONS, "file": WRITE, "decide": WRITE}
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        actor = current_actor()
        own, to_decide = appeal_service.appeals_of(db.session, actor)
        evaluation = None
        evaluation_id = request.args.get("evaluasi", type=int)
        if evaluation_id is not None:
            evaluation = db.session.get(Evaluation, evaluation_id)
            if evaluation is None or evaluation.employee_id != actor.employee_id:
                evaluation = None
        window = current_app.config["KINERJA_APPEAL_WINDOW_DAYS"]
        return self.render_template(
            "kinerja/appeals.html",
            own=own,
            to_decide=to_decide,
            evaluation=evaluation,
            last_day=appeal_service.last_day(evaluation.period, window) if evaluation else None,
            window=window,
            steps={a.id: appeal_service.steps(db.session, a) for a in own + to_decide},
            may_decide={a.id: appeal_service.may_decide(actor, a) for a in to_decide},
            predicates=PREDICATES,
        )

    @expose("/ajukan/<int:evaluation_id>", methods=["POST"])
    @has_access
    def file(self, evaluation_id: int) -> Response:
        with refusal_flashed() as outcome:
            appeal_service.file_appeal(
                db.session,
                current_actor(),
                evaluation_id,
                request.form.get("reason"),
                request.form.get("requested_predicate"),
                current_app.config["KINERJA_APPEAL_WINDOW_DAYS"],
            )
            flash(_("Keberatan diajukan kepada atasan pejabat penilai."), "success")
        if outcome.refusal:
            return redirect(url_for(".index", evaluasi=evaluation_id))
        return redirect(url_for(".index"))

    @expose("/<int:appeal_id>/putuskan", methods=["POST"])
    @has_access
    def decide(self, appeal_id: int) -> Response:
        uphold = request.form.get("decision") == "uphold"
        with refusal_flashed():
            appeal_service.decide_appeal(
                db.session,
                current_actor(),
                appeal_id,
                uphold,
                request.form.get("reason"),
                request.form.get("predicate"),
            )
            flash(_("Keberatan dikabulkan.") if uphold else _("Keberatan ditolak."), "success")
        return redirect(url_for(".index"))
