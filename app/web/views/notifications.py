"""Pemberitahuan: a person's notifications; opening one marks it read and leads to its page."""

from __future__ import annotations

from flask import redirect, url_for
from flask_appbuilder import BaseView, expose, has_access
from werkzeug.wrappers import Response

from app.extensions import db
from app.services import notifications
from app.web.actor import current_actor

READ_ONLY = {"index": "read", "open": "read"}


class NotificationView(BaseView):
    """Pages under /pemberitahuan/ (resource Beranda: every signed-in person)."""

    route_base = "/pemberitahuan"
    class_permission_name = "Beranda"
    method_permission_name = READ_ONLY
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        actor = current_actor()
        rows = notifications.recent(db.session, actor.user_id) if actor.user_id else []
        return self.render_template("kinerja/notifications.html", notifications=rows)

    @expose("/<int:notification_id>")
    @has_access
    def open(self, notification_id: int) -> Response:
        """Mark the person's own message read and go where it points."""
        actor = current_actor()
        row = notifications.read(db.session, actor.user_id, notification_id)
        if row is None or not row.link:
            return redirect(url_for(".index"))
        return redirect(row.link)
