"""Readiness checks: can this instance serve requests and hand work to the background?

Each check answers a bare ok/fail; the reason goes to the log, never to the caller, because an
exception text can carry a connection string or a host name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

Check = Callable[[], None]


def database_check(session: Session) -> Check:
    """The database answers a trivial query."""

    def check() -> None:
        session.execute(text("SELECT 1"))

    return check


def broker_check(url: str) -> Check:
    """The message broker accepts a connection (Redis or the embedded transport)."""

    def check() -> None:
        from kombu import Connection

        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)

    return check


def run_checks(checks: dict[str, Check]) -> dict[str, bool]:
    """Run every check; a failing one is logged with its reason and reported as False."""
    results: dict[str, bool] = {}
    for name, check in checks.items():
        try:
            check()
        except Exception:  # any failure means "not ready"; the reason is for the log only
            log.warning("readiness check failed", extra={"check": name}, exc_info=True)
            results[name] = False
        else:
            results[name] = True
    return results


def worker_check(celery: object) -> Check:
    """At least one background worker answers a ping within a second."""

    def check() -> None:
        replies = celery.control.ping(timeout=1.0)  # type: ignore[attr-defined]
        if not replies:
            raise RuntimeError("no worker answered")

    return check
