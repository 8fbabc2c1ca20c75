"""The security manager: FAB's, plus the link from a login to the employee it belongs to."""

from __future__ import annotations

from flask import g
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from sqlalchemy import select

from app.models import Employee
from app.web.security_views import (
    KinerjaGroupModelView,
    KinerjaRoleModelView,
    KinerjaUserModelView,
)
from app.web.sso import SingleSignOnMixin


class KinerjaSecurityManager(SingleSignOnMixin, SecurityManager):
    """Adds `current_employee()`, cached per request, used by every row-level filter."""

    # FAB's user-statistics chart loads Google Charts from the internet: not on an intranet.
    userstatschartview = None
    userdbmodelview = KinerjaUserModelView
    rolemodelview = KinerjaRoleModelView
    groupmodelview = KinerjaGroupModelView

    def register_views(self) -> None:
        """FAB throttles only the HTML login form; throttle the API login the same way, or a
        password can be guessed over /api/v1/security/login without limit."""
        super().register_views()
        if self.is_auth_limited:
            for view in self.appbuilder.baseviews:
                if isinstance(view, SecurityApi):
                    self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)

    def current_employee(self) -> Employee | None:
        """The employee record of the signed-in user (None for staff without one)."""
        user = g.get("user")
        if user is None or not getattr(user, "is_authenticated", False):
            return None
        cache = g.setdefault("_kinerja_employee", {})
        if user.id not in cache:
            cache[user.id] = self.session.scalar(
                select(Employee).where(Employee.user_id == user.id)
            )
        return cache[user.id]

    def has_role(self, *names: str) -> bool:
        """Whether the signed-in user holds any of these roles."""
        user = g.get("user")
        if user is None or not getattr(user, "is_authenticated", False):
            return False
        return any(role.name in names for role in user.roles)
