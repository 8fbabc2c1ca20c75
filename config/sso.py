"""Sign-in method, chosen by `KINERJA_AUTH`: `db` (the default: Kinerja's own passwords),
`ldap` (LDAP / Active Directory) or `oidc` (OpenID Connect, e.g. a Keycloak realm).

With a directory or an identity provider, accounts are made at first sign-in, their roles follow
the directory's groups (`KINERJA_SSO_ROLES_MAPPING`, JSON: group -> Kinerja role names) at every
sign-in, and the account is linked to the employee whose NIP the directory gives. The user names
in `KINERJA_LOCAL_LOGINS` keep signing in with Kinerja's own password (break-glass
administrators for when the directory is down).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

AUTH_DB, AUTH_LDAP, AUTH_OAUTH = 1, 2, 4


class SettingError(ValueError):
    """A sign-in setting is missing or malformed (raised when the app starts)."""


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise SettingError(f"{name} must be set when KINERJA_AUTH={env.get('KINERJA_AUTH')}")
    return value


def _mapping(env: Mapping[str, str]) -> dict[str, list[str]]:
    raw = env.get("KINERJA_SSO_ROLES_MAPPING", "").strip() or "{}"
    try:
        mapping = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SettingError(f"KINERJA_SSO_ROLES_MAPPING is not JSON: {exc}") from exc
    if not isinstance(mapping, dict) or not all(
        isinstance(roles, list) and all(isinstance(r, str) for r in roles)
        for roles in mapping.values()
    ):
        raise SettingError("KINERJA_SSO_ROLES_MAPPING must map group names to lists of roles")
    return mapping


def _shared(env: Mapping[str, str]) -> dict[str, Any]:
    local = [u.strip() for u in env.get("KINERJA_LOCAL_LOGINS", "admin").split(",") if u.strip()]
    return {
        "AUTH_ROLES_MAPPING": _mapping(env),
        "AUTH_ROLES_SYNC_AT_LOGIN": True,
        "AUTH_USER_REGISTRATION": True,
        "AUTH_USER_REGISTRATION_ROLE": "Public",  # Pegawai comes with the employee link
        "KINERJA_LOCAL_LOGINS": local,
    }


def auth_settings(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The Flask-AppBuilder settings of the configured sign-in method."""
    env = os.environ if env is None else env
    kind = env.get("KINERJA_AUTH", "db").strip().lower() or "db"
    if kind == "db":
        return {"AUTH_TYPE": AUTH_DB, "AUTH_USER_REGISTRATION": False}
    if kind == "ldap":
        return {
            **_shared(env),
            "AUTH_TYPE": AUTH_LDAP,
            "AUTH_LDAP_SERVER": _required(env, "KINERJA_LDAP_URL"),
            "AUTH_LDAP_SEARCH": _required(env, "KINERJA_LDAP_SEARCH_BASE"),
            "AUTH_LDAP_SEARCH_FILTER": env.get("KINERJA_LDAP_SEARCH_FILTER", ""),
            "AUTH_LDAP_UID_FIELD": env.get("KINERJA_LDAP_UID_FIELD", "uid"),  # AD: sAMAccountName
            "AUTH_LDAP_BIND_USER": env.get("KINERJA_LDAP_BIND_DN", ""),
            "AUTH_LDAP_BIND_PASSWORD": env.get("KINERJA_LDAP_BIND_PASSWORD", ""),
            "AUTH_LDAP_USE_TLS": env.get("KINERJA_LDAP_STARTTLS", "false").lower() == "true",
            "AUTH_LDAP_TLS_CACERTFILE": env.get("KINERJA_LDAP_CA_FILE", ""),
            "AUTH_LDAP_FIRSTNAME_FIELD": "givenName",
            "AUTH_LDAP_LASTNAME_FIELD": "sn",
            "AUTH_LDAP_EMAIL_FIELD": "mail",
            "AUTH_LDAP_GROUP_FIELD": env.get("KINERJA_LDAP_GROUP_FIELD", "memberOf"),
            "KINERJA_SSO_NIP_FIELD": env.get("KINERJA_LDAP_NIP_FIELD", "employeeNumber"),
        }
    if kind == "oidc":
        issuer = _required(env, "KINERJA_OIDC_ISSUER").rstrip("/")
        return {
            **_shared(env),
            "AUTH_TYPE": AUTH_OAUTH,
            "OAUTH_PROVIDERS": [
                {
                    "name": "oidc",
                    "icon": "fa-key",
                    "token_key": "access_token",
                    "remote_app": {
                        "client_id": _required(env, "KINERJA_OIDC_CLIENT_ID"),
                        "client_secret": _required(env, "KINERJA_OIDC_CLIENT_SECRET"),
                        "server_metadata_url": f"{issuer}/.well-known/openid-configuration",
                        "client_kwargs": {"scope": "openid email profile"},
                    },
                }
            ],
            "KINERJA_SSO_NIP_FIELD": env.get("KINERJA_OIDC_NIP_CLAIM", "nip"),
            "KINERJA_OIDC_GROUPS_CLAIM": env.get("KINERJA_OIDC_GROUPS_CLAIM", "groups"),
            "KINERJA_OIDC_USERNAME_CLAIM": env.get(
                "KINERJA_OIDC_USERNAME_CLAIM", "preferred_username"
            ),
        }
    raise SettingError(f"KINERJA_AUTH={kind!r}: choose db, ldap or oidc")
