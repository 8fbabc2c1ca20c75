"""The security manager: FAB's, plus the link from a login to the employee it belongs to,
per-account login throttling with audit entries, session revocation on password change, a
forced change of administrator-set passwords, and JWTs that can be revoked."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, jsonify, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.actions import action
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.forms import ResetPasswordForm
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.views import ResetMyPasswordView
from flask_jwt_extended import JWTManager
from sqlalchemy import select
from werkzeug.security import check_password_hash
from werkzeug.wrappers import Response
from wtforms import PasswordField
from wtforms.validators import DataRequired, ValidationError

from app.models import Employee
from app.ops.metrics import LOGIN_FAILURES
from app.services.people import signin
from app.web.actor import current_actor
from app.web.security_views import (
    KinerjaGroupModelView,
    KinerjaRoleModelView,
    KinerjaUserModelView,
)
from app.web.sessions import restamp_epoch
from app.web.sso import SingleSignOnMixin


def throttle_policy() -> signin.ThrottlePolicy:
    config = current_app.config
    return signin.ThrottlePolicy(
        free_failures=config["KINERJA_LOGIN_FREE_FAILURES"],
        base_delay=config["KINERJA_LOGIN_DELAY_SECONDS"],
        max_delay=config["KINERJA_LOGIN_MAX_DELAY_SECONDS"],
    )


def client_facts() -> dict[str, Any]:
    """Where a sign-in came from, for the audit log (the address after trusted proxies)."""
    via = "api" if request.path.startswith("/api/") else "formulir"
    agent = (request.user_agent.string or "")[:200]
    return {"ip": request.remote_addr, "via": via, "user_agent": agent}


def _current_password_matches(form: Any, field: Any) -> None:
    if not check_password_hash(g.user.password, field.data or ""):
        raise ValidationError("Kata sandi saat ini tidak cocok.")


class OwnPasswordForm(ResetPasswordForm):
    """Changing one's own password asks for the current one (ASVS 6.2.3)."""

    current_password = PasswordField(
        "Kata sandi saat ini", validators=[DataRequired(), _current_password_matches]
    )


class KinerjaResetMyPasswordView(ResetMyPasswordView):
    class_permission_name = "ResetMyPasswordView"
    form = OwnPasswordForm
    form_title = "Ganti kata sandi"
    message = "Kata sandi diganti; sesi lain akun ini telah diakhiri."


class KinerjaUserDBModelView(KinerjaUserModelView):
    """FAB's user screens plus "end sessions"; a login an administrator creates must set its
    own password at the first sign-in."""

    class_permission_name = "UserDBModelView"

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk: Any) -> Response:
        """FAB's user page offers only "reset password"; "end sessions" belongs beside it."""
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        actions = {name: self.actions[name] for name in ("resetpasswords", "endsessions")}
        widgets = self._get_show_widget(pk, item, actions=actions)
        self.update_redirect()
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            appbuilder=self.appbuilder,
            related_views=self._related_views,
        )

    def post_add(self, item: Any) -> None:
        signin.account_created(self.datamodel.session, current_actor(), item.id)

    @action(
        "endsessions",
        "Akhiri semua sesi",
        "Akhiri semua sesi dan token pengguna ini?",
        "fa-sign-out",
        multiple=False,
    )
    def endsessions(self, item: Any) -> Response:
        signin.end_sessions(
            self.datamodel.session, current_actor(), item.id, "Diakhiri oleh administrator"
        )
        flash("Semua sesi dan token pengguna ini telah diakhiri.", "success")
        return redirect(url_for(".show", pk=item.id))


class KinerjaSecurityManager(SingleSignOnMixin, SecurityManager):
    """Adds `current_employee()`, cached per request, used by every row-level filter."""

    # FAB's user-statistics chart loads Google Charts from the internet: not on an intranet.
    userstatschartview = None
    userdbmodelview = KinerjaUserDBModelView
    rolemodelview = KinerjaRoleModelView
    groupmodelview = KinerjaGroupModelView
    resetmypasswordview = KinerjaResetMyPasswordView

    def __init__(self, appbuilder: Any) -> None:
        self._role_answers: dict[tuple[str, str, str], bool] = {}
        super().__init__(appbuilder)

    def register_views(self) -> None:
        """FAB throttles only the HTML login form; throttle the API login the same way, or a
        password can be guessed over /api/v1/security/login without limit."""
        super().register_views()
        if self.is_auth_limited:
            for view in self.appbuilder.baseviews:
                if isinstance(view, SecurityApi):
                    self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)

    def _has_access_builtin_roles(self, role: Any, permission_name: str, view_name: str) -> bool:
        """FAB matches the role's whole permission list as regular expressions on every check,
        and a page's menu makes some 25 checks; the roles come from config/roles.py and do not
        change while the app runs, so each answer is kept."""
        key = (role.name, permission_name, view_name)
        if key not in self._role_answers:
            self._role_answers[key] = super()._has_access_builtin_roles(
                role, permission_name, view_name
            )
        return self._role_answers[key]

    def auth_user_db(self, username: str, password: str) -> Any:
        """FAB's check (a dummy hash for unknown names, so both take as long), then the
        outcome counted against the name and written to the audit log."""
        return self._counted(username, super().auth_user_db(username, password))

    def auth_user_ldap(self, username: str, password: str) -> Any:
        """The directory's answer (or the local fallback), counted and audited the same way."""
        return self._counted(username, super().auth_user_ldap(username, password))

    def _counted(self, username: str, user: Any) -> Any:
        """Count a sign-in's outcome once per request (LDAP may fall back to the local check)."""
        if not username or g.get("_kinerja_login_counted"):
            return user
        g._kinerja_login_counted = True
        if user is None:
            known = self.find_user(username=username)
            signin.login_failed(self.session, username, known, client_facts(), throttle_policy())
            LOGIN_FAILURES.labels(reason="kata_sandi").inc()
        else:
            signin.login_succeeded(self.session, user, client_facts())
        return user

    def reset_password(self, userid: Any, password: str) -> None:
        """Own change or an administrator's reset: every session of the account ends (the
        changer's own current session excepted)."""
        super().reset_password(userid, password)
        signin.password_changed(self.session, current_actor(), int(userid))
        restamp_epoch(int(userid))

    def create_jwt_manager(self, app: Any) -> JWTManager:
        """Tokens carry the account's session epoch; a token of an older epoch is revoked."""
        manager = super().create_jwt_manager(app)

        @manager.additional_claims_loader
        def _claims(identity: Any) -> dict[str, Any]:
            return {"epoch": signin.epoch(self.session, int(identity))}

        @manager.token_in_blocklist_loader
        def _revoked(header: dict[str, Any], payload: dict[str, Any]) -> bool:
            state = signin.state(self.session, int(payload["sub"]))
            return payload.get("epoch") != state.epoch or state.must_change_password

        @manager.revoked_token_loader
        def _revoked_answer(header: dict[str, Any], payload: dict[str, Any]) -> Any:
            return jsonify(message="Token telah dicabut; silakan masuk kembali."), 401

        return manager

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
