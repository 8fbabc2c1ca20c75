"""Sign-in, session and cookie settings (environment overrides; see docs/security.md)."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def settings(public_url: str) -> dict[str, Any]:
    """`public_url` is KINERJA_PUBLIC_URL: when it is https the cookies carry the Secure flag
    and the session cookie the `__Host-` name prefix."""
    idle = _int("KINERJA_SESSION_IDLE_MINUTES", 30)
    secure = public_url.lower().startswith("https://")
    return {
        # Passwords (app/services/people/passwords.py); a dotted name, resolved by the app factory.
        "FAB_PASSWORD_COMPLEXITY_ENABLED": True,
        "FAB_PASSWORD_COMPLEXITY_VALIDATOR": "app.services.people.passwords.validate_password",
        # werkzeug's method string; "scrypt" is scrypt:32768:8:1 (the tests use a lower cost)
        "FAB_PASSWORD_HASH_METHOD": os.environ.get("KINERJA_PASSWORD_HASH", "scrypt"),
        # Server-side sessions (app/web/sessions.py): Redis when set, else the database.
        "KINERJA_SESSION_REDIS_URL": os.environ.get("KINERJA_SESSION_REDIS_URL", "").strip(),
        "KINERJA_SESSION_IDLE_MINUTES": idle,
        "KINERJA_SESSION_MAX_HOURS": _int("KINERJA_SESSION_MAX_HOURS", 12),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=idle),
        # written when it changes (its last use is stamped once a minute), not on every request
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_NAME": "__Host-kinerja" if secure else "kinerja",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # API tokens: short access tokens; refresh tokens revocable (epoch) and short-lived.
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=_int("KINERJA_ACCESS_TOKEN_MINUTES", 15)),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(hours=_int("KINERJA_REFRESH_TOKEN_HOURS", 12)),
        # Login protection (app/services/people/signin.py, app/web/login.py).
        "AUTH_RATE_LIMITED": True,
        "AUTH_RATE_LIMIT": os.environ.get("KINERJA_LOGIN_IP_LIMIT", "300 per 5 minute"),
        "KINERJA_LOGIN_FREE_FAILURES": _int("KINERJA_LOGIN_FREE_FAILURES", 3),
        "KINERJA_LOGIN_DELAY_SECONDS": _int("KINERJA_LOGIN_DELAY_SECONDS", 5),
        "KINERJA_LOGIN_MAX_DELAY_SECONDS": _int("KINERJA_LOGIN_MAX_DELAY_SECONDS", 900),
        "KINERJA_TRUSTED_PROXIES": _int("KINERJA_TRUSTED_PROXIES", 0),
    }
