"""Rating pages: "Tim saya" (a supervisor's subordinates and their progress) and the generated
rating form with a live preview of the engine's proposal."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from app.domain.enums import EKSPEKTASI_LEVELS, LABELS, RaterKind
from app.domain.wording import to_wib
from app.extensions import db
from app.services.appraisal import (
    dialog,
    expectations,
    levels,
    peers,
    periods,
    rating_context,
    rating_drafts,
    ratings,
)
from app.services.errors import InvalidInput, ServiceError
from app.services.reports import progress, team
from app.services.reports.explain import explain
from app.web.actor import current_actor
from app.web.permissions import METHOD_PERMISSIONS, READ, WRITE
from app.web.refusals import refusal_flashed


def _entries(form: Any, items: list[ratings.FormItem]) -> list[ratings.Entry]:
    """Form fields `value-<key>`, `comment-<key>`, `version-<key>` as service entries."""
    entries = []
    for item in items:
        version = form.get(f"version-{item.key}") or None
        if version is not None and not (version.isdigit() and len(version) <= 9):
            raise InvalidInput("Versi nilai tidak valid; muat ulang halaman.", field=item.key)
        entries.append(
            ratings.Entry(
                key=item.key,
                value=form.get(f"value-{item.key}"),
                comment=form.get(f"comment-{item.key}"),
                lock_version=int(version) if version else None,
            )
        )
    return entries


class RatingFormView(BaseView):
    """Pages under /penilaian/."""

    route_base = "/penilaian"
    class_permission_name = "Rating"
    method_permission_name = {
        **METHOD_PERMISSIONS,
        "team": READ,
        "form": WRITE,
        "preview": READ,
        "level": WRITE,
        "draft": WRITE,
        "fresh_token": READ,
    }
    default_view = "team"

    @expose("/tim/")
    @has_access
    def team(self) -> str:
        actor = current_actor()
        choice = periods.period_choice(db.session, actor, request.args.get("periode", type=int))
        rows = team.my_team(db.session, actor, choice.selected.id if choice.selected else None)
        return self.render_template(
            "kinerja/team.html",
            rows=rows,
            choice=choice,
            sees_progress=progress.may_see(db.session, actor),
        )

    @expose("/<int:period_id>/<int:ratee_id>", methods=["GET", "POST"])
    @has_access
    def form(self, period_id: int, ratee_id: int) -> tuple[str, int] | Response:
        actor = current_actor()
        form = ratings.rating_form(db.session, actor, period_id, ratee_id)
        status = 200
        missing: set[str] = set()
        restored = None
        if request.method == "POST":
            submit = request.form.get("action") == "submit"
            try:
                result = ratings.save_ratings(
                    db.session,
                    actor,
                    period_id,
                    ratee_id,
                    _entries(request.form, form.items),
                    submit=submit,
                )
            except ServiceError as exc:
                if isinstance(exc, ratings.Incomplete):
                    missing = set(exc.keys)  # marked on the rows; the list is on the page
                else:
                    flash(exc.message, "danger")
                status = exc.status
                form = ratings.rating_form(db.session, actor, period_id, ratee_id)
                for item in form.items:  # keep what the rater typed
                    item.value = request.form.get(f"value-{item.key}") or item.value
                    item.comment = request.form.get(f"comment-{item.key}") or item.comment
            else:
                rating_drafts.discard(db.session, actor, period_id, ratee_id)
                flash(
                    _("Penilaian diajukan dan hasil dihitung ulang.")
                    if result.submitted
                    else _("Draf penilaian disimpan."),
                    "success",
                )
                return redirect(url_for(".form", period_id=period_id, ratee_id=ratee_id))
        else:
            restored = rating_drafts.restore(db.session, actor, form)
        summary = None
        if form.rater_kind == RaterKind.SELF:
            summary = peers.peer_summary(db.session, period_id, ratee_id)
        private = form.rater_kind in (RaterKind.SUPERVISOR, RaterKind.SELF)  # not for peers
        return self.render_template(
            "kinerja/rating_form.html",
            form=form,
            aspects=levels_for(form),
            why=explain(db.session, form.evaluation.result) if form.evaluation else [],
            context=rating_context.form_context(db.session, form),
            missing=missing,
            restored=restored,
            labels=LABELS,
            peer_summary=summary,
            min_peers=peers.MIN_PEERS,
            dialog=dialog.thread(db.session, actor, period_id, ratee_id) if private else None,
            expectations=expectations.for_rating(db.session, period_id, ratee_id)
            if private
            else {},
        ), status

    @expose("/<int:period_id>/<int:ratee_id>/draf", methods=["POST"])
    @has_access
    def draft(self, period_id: int, ratee_id: int) -> Response:
        """Keep what the rater typed so far (JSON `{"values": {key: {value, comment}}}`)."""
        body = request.get_json(silent=True) or {}
        saved = rating_drafts.save_draft(
            db.session, current_actor(), period_id, ratee_id, body.get("values") or {}
        )
        local = to_wib(saved)
        return jsonify({"saved_at": f"{local.hour:02d}.{local.minute:02d} WIB"})

    @expose("/token")
    @has_access
    def fresh_token(self) -> Response:
        """A form token for this session: the rating form takes it after a sign-in in another
        tab, so its draft and the form itself can be sent again."""
        return jsonify({"csrf_token": generate_csrf()})

    @expose("/<int:period_id>/<int:ratee_id>/pratinjau", methods=["POST"])
    @has_access
    def preview(self, period_id: int, ratee_id: int) -> Response:
        actor = current_actor()
        form = ratings.rating_form(db.session, actor, period_id, ratee_id)
        result = ratings.preview(
            db.session, actor, period_id, ratee_id, _entries(request.form, form.items)
        )
        result["sentences"] = explain(db.session, result)
        return jsonify(result)

    @expose("/<int:period_id>/<int:ratee_id>/tingkat", methods=["POST"])
    @has_access
    def level(self, period_id: int, ratee_id: int) -> Response:
        with refusal_flashed(passes=()):
            levels.decide_level(
                db.session,
                current_actor(),
                period_id,
                ratee_id,
                aspect=request.form.get("aspect", ""),
                level=request.form.get("level", ""),
                reason=request.form.get("reason"),
            )
            flash(_("Tingkat aspek ditetapkan."), "success")
        return redirect(url_for(".form", period_id=period_id, ratee_id=ratee_id))


def levels_for(form: ratings.RatingForm) -> list[dict[str, Any]]:
    """The aspects of the stored evaluation, for the confirm-or-override controls."""
    if form.shown is None or form.rater_kind != RaterKind.SUPERVISOR:
        return []
    aspects = form.shown.result.get("aspects") or {}
    return [
        {
            "name": name,
            "level": facts.get("level"),
            "score": facts.get("score"),
            "proposed": facts.get("proposed") or facts.get("level"),
            "source": facts.get("source"),
        }
        for name, facts in aspects.items()
        if facts.get("level") in EKSPEKTASI_LEVELS
    ]
