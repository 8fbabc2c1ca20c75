"""Settings: defaults here, overridden by the environment, then by the caller.

Settings are computed when the app is built (not at import) because the defaults depend on the
instance folder, and tests build many apps with different databases.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from config import security
from config.roles import ROLE_PERMISSIONS
from config.sso import auth_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def database_url(instance_path: Path) -> str:
    """DATABASE_URL, normalised for SQLAlchemy 2 + psycopg 3; SQLite under instance/ by default."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'kinerja.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/.

    Never a constant in the repository: a leaked default key would let anyone forge sessions.
    """
    key = os.environ.get("SECRET_KEY", "").strip()
    if key:
        return key
    path = instance_path / "secret_key"
    if not path.exists():
        # Several processes may start at once on a fresh instance (gunicorn workers, the worker,
        # parallel tests): the key is written whole under another name and linked into place,
        # so one key wins and nobody ever reads a half-written file.
        instance_path.mkdir(parents=True, exist_ok=True)
        draft = instance_path / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def public_url() -> str:
    """KINERJA_PUBLIC_URL: the address citizens and staff reach the app at, without a trailing
    slash (e.g. `https://kinerja.acehprov.go.id`).

    Links that leave the app (public feedback links, QR codes, the accountability page) are built
    from it and never from the request's Host header, which a client chooses freely. The default
    suits `make run` only.
    """
    url = os.environ.get("KINERJA_PUBLIC_URL", "").strip() or "http://127.0.0.1:8080"
    if not url.startswith(("http://", "https://")):
        raise ValueError("KINERJA_PUBLIC_URL must start with http:// or https://")
    return url.rstrip("/")


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def load(instance_path: Path) -> dict[str, Any]:
    """All settings for one app instance."""
    languages = {
        "id": {"flag": "id", "name": "Bahasa Indonesia"},
        "en": {"flag": "gb", "name": "English"},
    }
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": secret_key(instance_path),
        "APP_NAME": "Kinerja ASN Aceh",
        "APP_THEME": "",
        "FAB_CREATE_DB": False,  # the schema belongs to Alembic, never to create_all()
        "FAB_ROLES": ROLE_PERMISSIONS,
        "FAB_API_SWAGGER_UI": True,
        "FAB_ADD_SECURITY_API": False,
        # Roles are code (config/roles.py): FAB's pages of raw permission names and view names
        # would only show internals.
        "FAB_ADD_SECURITY_PERMISSION_VIEW": False,
        "FAB_ADD_SECURITY_VIEW_MENU_VIEW": False,
        "FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW": False,
        "FAB_API_MAX_PAGE_SIZE": 100,  # as the panel's list pages (app/web/views/base.py)
        "AUTH_ROLE_ADMIN": "Admin",
        "AUTH_ROLE_PUBLIC": "Public",
        **auth_settings(),  # AUTH_TYPE and friends: database, LDAP or OpenID Connect
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Jakarta",
        "LANGUAGES": languages,
        "MAX_CONTENT_LENGTH": _env_int("KINERJA_MAX_UPLOAD_BYTES", 10 * 1024 * 1024) + 64 * 1024,
        "WTF_CSRF_ENABLED": True,
        "KINERJA_PUBLIC_URL": public_url(),
        # Written above the signatures of the evaluation document ("Banda Aceh, 15 Januari 2027").
        "KINERJA_DOCUMENT_PLACE": os.environ.get("KINERJA_DOCUMENT_PLACE", "Banda Aceh"),
        "KINERJA_RULES_DIR": str(BASE_DIR / "rules"),
        # Ruleset texts (panel, API, CLI): refused beyond these, before any parsing cost.
        "KINERJA_RULES_MAX_BYTES": _env_int("KINERJA_RULES_MAX_BYTES", 1_048_576),
        "KINERJA_RULES_MAX_DEPTH": _env_int("KINERJA_RULES_MAX_DEPTH", 40),
        "KINERJA_RULES_MAX_NODES": _env_int("KINERJA_RULES_MAX_NODES", 100_000),
        "KINERJA_RULES_MAX_ALIASES": _env_int("KINERJA_RULES_MAX_ALIASES", 50),
        # Four-eyes: a draft ruleset is published only after a second policy officer approved
        # it (KINERJA_FOUR_EYES=0 turns it off, e.g. for a province with one officer).
        "KINERJA_FOUR_EYES": os.environ.get("KINERJA_FOUR_EYES", "1") != "0",
        # Background work (docs/scaling.md): Celery, with Redis in production
        # (KINERJA_BROKER_URL=redis://127.0.0.1:6379/0) and, when unset, a broker in files under
        # instance/ that needs no server (one machine, the worker that `make run` starts).
        "KINERJA_BROKER_URL": os.environ.get("KINERJA_BROKER_URL", "").strip()
        or "filesystem://localhost/",
        "KINERJA_BROKER_DIR": os.environ.get("KINERJA_BROKER_DIR")
        or str(instance_path / "antrean"),
        "KINERJA_QUEUE": os.environ.get("KINERJA_QUEUE", "kinerja"),
        # Redis: a message a killed worker held goes back to the queue after this many seconds.
        "KINERJA_BROKER_VISIBILITY_TIMEOUT": _env_int("KINERJA_BROKER_VISIBILITY_TIMEOUT", 600),
        "KINERJA_BROKER_KEY_PREFIX": os.environ.get("KINERJA_BROKER_KEY_PREFIX", ""),
        "KINERJA_WORKER_CONCURRENCY": _env_int("KINERJA_WORKER_CONCURRENCY", 0),
        # Run tasks in the calling process instead of queueing them (tests without a worker).
        "KINERJA_TASKS_EAGER": os.environ.get("KINERJA_TASKS_EAGER", "") == "1",
        # E-mail notifications: off while KINERJA_SMTP_HOST is unset.
        "KINERJA_SMTP_HOST": os.environ.get("KINERJA_SMTP_HOST", ""),
        "KINERJA_SMTP_PORT": _env_int("KINERJA_SMTP_PORT", 25),
        "KINERJA_SMTP_USER": os.environ.get("KINERJA_SMTP_USER", ""),
        "KINERJA_SMTP_PASSWORD": os.environ.get("KINERJA_SMTP_PASSWORD", ""),
        "KINERJA_SMTP_STARTTLS": os.environ.get("KINERJA_SMTP_STARTTLS", "") == "1",
        "KINERJA_MAIL_FROM": os.environ.get("KINERJA_MAIL_FROM", "kinerja@localhost"),
        # Reminders go out this many days before a period's end date (and on the day).
        "KINERJA_REMINDER_DAYS": _env_int("KINERJA_REMINDER_DAYS", 3),
        # Seconds the period progress page may reuse figures this process counted (0: never).
        "KINERJA_PROGRESS_MAX_AGE": _env_int("KINERJA_PROGRESS_MAX_AGE", 30),
        # Panel lists count matching rows up to this many; past it they say "more than" this
        # (counting every one of 1.2 million ratings took most of a page's time).
        "KINERJA_LIST_COUNT_CAP": _env_int("KINERJA_LIST_COUNT_CAP", 10_000),
        # Employees and the public (docs/employees-and-public.md)
        "KINERJA_MAX_UPLOAD_BYTES": _env_int("KINERJA_MAX_UPLOAD_BYTES", 10 * 1024 * 1024),
        "KINERJA_EVIDENCE_DIR": os.environ.get("KINERJA_EVIDENCE_DIR")
        or str(instance_path / "evidence"),
        "KINERJA_APPEAL_WINDOW_DAYS": _env_int("KINERJA_APPEAL_WINDOW_DAYS", 14),
        "KINERJA_PUBLIC_FEEDBACK_LIMIT": os.environ.get(
            "KINERJA_PUBLIC_FEEDBACK_LIMIT", "5 per minute;30 per day"
        ),
        "KINERJA_PUBLIC_MIN_GROUP": _env_int("KINERJA_PUBLIC_MIN_GROUP", 5),
        "KINERJA_CLIENT_HASH_SALT": os.environ.get("KINERJA_CLIENT_HASH_SALT", ""),
        # Operations (docs/operations.md): logs as JSON lines in production, text for `make run`;
        # /metrics for Prometheus, behind a bearer token when one is set.
        "KINERJA_LOG_FORMAT": os.environ.get("KINERJA_LOG_FORMAT", "text"),
        "KINERJA_LOG_LEVEL": os.environ.get("KINERJA_LOG_LEVEL", "INFO"),
        "KINERJA_METRICS_ENABLED": os.environ.get("KINERJA_METRICS_ENABLED", "true").lower()
        != "false",
        "KINERJA_METRICS_TOKEN": os.environ.get("KINERJA_METRICS_TOKEN", ""),
        "KINERJA_READY_REQUIRES_WORKER": os.environ.get("KINERJA_READY_REQUIRES_WORKER", "") == "1",
        **security.settings(public_url()),
    }
