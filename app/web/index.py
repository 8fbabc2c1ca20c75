"""Beranda: the landing page after login, pointing each role at its work."""

from __future__ import annotations

from flask import g, redirect, url_for
from flask_appbuilder import IndexView, expose
from werkzeug.wrappers import Response


class KinerjaIndexView(IndexView):
    """Anonymous visitors go to the login page; users see their starting points."""

    index_template = "kinerja/index.html"

    @expose("/")
    def index(self) -> str | Response:
        user = g.get("user")
        if user is None or not user.is_authenticated:
            return redirect(url_for(self.appbuilder.sm.auth_view.__class__.__name__ + ".login"))
        roles = sorted(role.name for role in user.roles)
        return self.render_template(self.index_template, roles=roles)
