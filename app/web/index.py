"""Beranda: the landing page after login, the person's workspace led by their to-do list."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, redirect, url_for
from flask_appbuilder import IndexView, expose
from werkzeug.wrappers import Response

from app.extensions import db
from app.services.reports import workspace as workspace_service
from app.web.actor import current_actor

# Page names of the workspace service -> endpoints. Arguments the endpoint does not take in
# its path become query parameters (`periode`, `evaluasi`).
PAGES: dict[str, str] = {
    "skp_mine": "SkpView.mine",
    "skp_show": "SkpView.show",
    "dashboard": "PortalView.index",
    "dashboard_of": "PortalView.employee",
    "rating_form": "RatingFormView.form",
    "team": "RatingFormView.team",
    "appeal": "AppealView.index",
    "peers": "PeerView.index",
    "peers_of": "PeerView.ratee",
    "period": "PeriodLifecycleView.show",
    "period_progress": "PeriodLifecycleView.readiness",
    "period_summary": "PeriodLifecycleView.summary",
    "employees": "EmployeeModelView.list",
    "rulesets": "RuleSetView.index",
    "ruleset": "RuleSetView.show",
    "ruleset_editor": "RuleSetView.editor",
    "ruleset_publish": "RuleSetView.confirm_publish",
    "repin": "PeriodRulesetView.repin_form",
    "notifications": "NotificationView.index",
    "notification": "NotificationView.open",
}


# Pages that are a list with a filter set: page name -> (endpoint, FAB filter arguments).
FILTERED_LISTS: dict[str, tuple[str, dict[str, Any]]] = {
    "employees_without_supervisor": ("EmployeeModelView.list", {"_flt_0_supervisor": "ya"}),
    "employees_without_account": ("EmployeeModelView.list", {"_flt_0_user": "ya"}),
}


def link_url(link: workspace_service.Link) -> str:
    """The URL of a workspace link."""
    # values typed Any: url_for's own keyword parameters (_external, _anchor...) are typed
    # narrower than its **values, and a dict of str or int values would be checked against them
    args: dict[str, Any] = dict(link.args)
    if link.page in FILTERED_LISTS:
        endpoint, filters = FILTERED_LISTS[link.page]
        return url_for(endpoint, **filters, **args)
    return url_for(PAGES[link.page], **args)


class KinerjaIndexView(IndexView):
    """Anonymous visitors go to the login page; a signed-in person sees their workspace."""

    index_template = "kinerja/index.html"

    @expose("/")
    def index(self) -> str | Response:
        user = g.get("user")
        if user is None or not user.is_authenticated:
            return redirect(url_for(self.appbuilder.sm.auth_view.__class__.__name__ + ".login"))
        actor = current_actor()
        board = workspace_service.workspace(
            db.session,
            actor,
            appeal_window_days=current_app.config["KINERJA_APPEAL_WINDOW_DAYS"],
            progress_max_age=current_app.config["KINERJA_PROGRESS_MAX_AGE"],
        )
        return self.render_template(
            self.index_template,
            workspace=board,
            employee=self.appbuilder.sm.current_employee(),
            roles=sorted(actor.roles),
            link_url=link_url,
        )
