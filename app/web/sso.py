"""Single sign-on on top of Flask-AppBuilder's LDAP and OAuth logins (config/sso.py).

Flask-AppBuilder authenticates against the directory or the identity provider, creates the account
at first sign-in and sets its roles from the groups. Kinerja adds three rules:
- the account belongs to the employee whose NIP the directory gives, and is linked to it; a
  person with no employee record is let in only when their groups give a staff role (Admin,
  Kepegawaian, Perumus Kebijakan) — anyone else would land in an empty panel;
- a linked employee always holds Pegawai, and Pejabat Penilai while they have subordinates, whatever
  the groups say (the organisation, not the directory, decides who rates whom);
- the user names in `KINERJA_LOCAL_LOGINS` may still sign in with Kinerja's own password when the
  directory does not know them (break-glass administrators).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from flask import current_app, g
from sqlalchemy import exists, select

from app.models import Employee
from config.roles import ADMIN, KEPEGAWAIAN, PEGAWAI, PENILAI, PERUMUS

log = logging.getLogger(__name__)

STAFF_ROLES = frozenset({ADMIN, KEPEGAWAIAN, PERUMUS})


def _text(value: Any) -> str | None:
    """The first value of a directory attribute (bytes lists) or a claim, as text."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return value.strip() if isinstance(value, str) and value.strip() else None


class SingleSignOnMixin:
    """Mixed into the security manager before Flask-AppBuilder's SecurityManager."""

    if TYPE_CHECKING:
        # What this mixin uses of the SecurityManager after it in the bases; declared for the
        # type checker only, so that nothing here hides the SecurityManager's own at run time.
        session: Any
        oauth_remotes: dict[str, Any]

        def find_role(self, name: str) -> Any: ...
        def auth_user_db(self, username: str, password: str) -> Any: ...
        def _ldap_calculate_user_roles(self, user_attributes: dict[str, Any]) -> list[Any]: ...
        def _oauth_calculate_user_roles(self, userinfo: dict[str, Any]) -> list[Any]: ...

    # ---- admission and linking, shared by LDAP and OIDC -------------------------------------

    def _admit(self, nip: str | None, role_names: set[str]) -> bool:
        """Remember whom this sign-in belongs to; False refuses it."""
        employee = None
        if nip:
            employee = self.session.scalar(select(Employee).where(Employee.nip == nip))
        if employee is None and not role_names & STAFF_ROLES:
            log.warning("sso sign-in refused: no employee with the directory's NIP")
            return False
        g.kinerja_sso_employee_id = employee.id if employee is not None else None
        return True

    def _link(self, user: Any) -> Any:
        """Link the signed-in account to its employee and give the roles the organisation
        implies; None (refused) when the employee already belongs to another account."""
        employee_id = g.pop("kinerja_sso_employee_id", None)
        if employee_id is None:
            return user
        employee = self.session.get(Employee, employee_id)
        if employee.user_id not in (None, user.id):
            log.warning("sso sign-in refused: the employee is linked to another account")
            return None
        employee.user_id = user.id
        wanted = {PEGAWAI}
        if self.session.scalar(select(exists().where(Employee.supervisor_id == employee.id))):
            wanted.add(PENILAI)
        for name in wanted - {role.name for role in user.roles}:
            role = self.find_role(name)
            if role is not None:
                user.roles.append(role)
        self.session.commit()
        return user

    # ---- LDAP --------------------------------------------------------------------------------

    def _search_ldap(self, ldap: Any, con: Any, username: str) -> tuple[Any, dict]:
        user_dn, attributes = super()._search_ldap(ldap, con, username)  # type: ignore[misc]
        if user_dn is None:
            return user_dn, attributes
        field = current_app.config["KINERJA_SSO_NIP_FIELD"]
        # Flask-AppBuilder asks only for names, e-mail and groups: read the NIP of the entry found
        entry = con.search_s(user_dn, ldap.SCOPE_BASE, "(objectClass=*)", [field])
        nip = _text(entry[0][1].get(field)) if entry else None
        roles = {role.name for role in self._ldap_calculate_user_roles(attributes)}
        if not self._admit(nip, roles):
            return None, {}
        return user_dn, attributes

    def auth_user_ldap(self, username: str, password: str) -> Any:
        """The directory's answer, linked to the employee; break-glass names fall back to the
        database check. The security manager counts and audits the outcome, once."""
        g.pop("kinerja_sso_employee_id", None)
        user = super().auth_user_ldap(username, password)  # type: ignore[misc]
        if user is not None:
            user = self._link(user)
        if user is None and username in current_app.config.get("KINERJA_LOCAL_LOGINS", []):
            return self.auth_user_db(username, password)
        return user

    # ---- OpenID Connect ----------------------------------------------------------------------

    def get_oauth_user_info(self, provider: str, resp: dict[str, Any]) -> dict[str, Any]:
        if provider != "oidc":
            return super().get_oauth_user_info(provider, resp)  # type: ignore[misc]
        claims = resp.get("userinfo") or self.oauth_remotes[provider].userinfo()
        config = current_app.config
        groups = claims.get(config["KINERJA_OIDC_GROUPS_CLAIM"]) or []
        return {
            "username": claims.get(config["KINERJA_OIDC_USERNAME_CLAIM"]),
            "first_name": claims.get("given_name", ""),
            "last_name": claims.get("family_name", ""),
            "email": claims.get("email", ""),
            "role_keys": groups if isinstance(groups, list) else [groups],
            "nip": _text(claims.get(config["KINERJA_SSO_NIP_FIELD"])),
        }

    def auth_user_oauth(self, userinfo: dict[str, Any]) -> Any:
        roles = {role.name for role in self._oauth_calculate_user_roles(userinfo)}
        if not self._admit(userinfo.get("nip"), roles):
            return None
        user = super().auth_user_oauth(userinfo)  # type: ignore[misc]
        return self._link(user) if user is not None else None
