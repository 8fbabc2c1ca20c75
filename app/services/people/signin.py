"""Signing in: per-account throttling, session revocation, forced password change, and the
audit entries of sign-ins and of the account changes around them.

Throttling is per login name, whether the name exists or not (an unknown name must behave
like a known one): the first `free_failures` consecutive failures cost nothing, each later one
blocks the name for a delay that doubles (`base_delay`, 2×, 4×, … up to `max_delay`).
While blocked, every attempt is refused before the password is even checked, so a correct
guess in that window is refused too; a success clears the count. A per-address ceiling (set
high enough for an office behind one NAT address) is Flask-Limiter's, in the web layer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import AccountSecurity, LoginThrottle
from app.models.base import utcnow
from app.services import audit
from app.services.actor import Actor
from app.services.unit_of_work import unit_of_work

FORGET_AFTER = timedelta(days=1)  # a name's failure count is dropped after a quiet day


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int = 3
    base_delay: int = 5  # seconds
    max_delay: int = 900

    def delay(self, failures: int) -> int:
        """Seconds the name is blocked after this many consecutive failures."""
        if failures < self.free_failures:
            return 0
        return min(self.max_delay, self.base_delay * 2 ** (failures - self.free_failures))


class AccountState(NamedTuple):
    epoch: int
    must_change_password: bool


def name_key(username: str) -> str:
    """A bounded key for any typed name (a hash: the table never holds what was typed)."""
    return hashlib.sha256(username.strip().lower().encode("utf-8", "replace")).hexdigest()


def blocked_for(session: Session, username: str, moment: datetime | None = None) -> int:
    """Seconds this name must still wait before the next attempt (0: it may try now)."""
    row = session.get(LoginThrottle, name_key(username))
    moment = moment or utcnow()
    if row is None or row.blocked_until is None or row.blocked_until <= moment:
        return 0
    return max(1, int((row.blocked_until - moment).total_seconds() + 0.999))


def _actor(user: Any | None, username: str) -> Actor:
    if user is None:
        return Actor(user_id=None, username=username[:100])
    return Actor(
        user_id=user.id, username=user.username, roles=frozenset(role.name for role in user.roles)
    )


@unit_of_work()
def login_failed(
    session: Session,
    username: str,
    user: Any | None,
    client: dict[str, Any],
    policy: ThrottlePolicy,
) -> int:
    """Count a failure, audit it, commit; the seconds the name is now blocked for."""
    moment = utcnow()
    key = name_key(username)
    stale = LoginThrottle.last_failure_at < moment - FORGET_AFTER
    session.execute(delete(LoginThrottle).where(stale, LoginThrottle.name_key != key))
    row = session.get(LoginThrottle, key)
    if row is None:
        row = LoginThrottle(name_key=key, failures=0, last_failure_at=moment)
        session.add(row)
    row.failures += 1
    row.last_failure_at = moment
    delay = policy.delay(row.failures)
    row.blocked_until = moment + timedelta(seconds=delay) if delay else None
    audit.record(
        session,
        _actor(user, username),
        "login.gagal",
        "user",
        user.id if user is not None else None,
        None,
        {**client, "gagal_berturut": row.failures, "tunda_detik": delay},
    )
    return delay


@unit_of_work()
def login_succeeded(session: Session, user: Any, client: dict[str, Any]) -> None:
    """Clear the name's failures and audit the sign-in; commit."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.name_key == name_key(user.username)))
    audit.record(
        session, _actor(user, user.username), "login.berhasil", "user", user.id, None, client
    )


@unit_of_work()
def login_refused(session: Session, username: str, client: dict[str, Any], wait: int) -> None:
    """Audit an attempt refused because the name is blocked; commit."""
    audit.record(
        session,
        _actor(None, username),
        "login.ditolak",
        "user",
        None,
        None,
        {**client, "tunggu_detik": wait},
    )


def _row(session: Session, user_id: int) -> AccountSecurity:
    row = session.get(AccountSecurity, user_id)
    if row is None:
        row = AccountSecurity(user_id=user_id, session_epoch=0, must_change_password=False)
        session.add(row)
    return row


def state(session: Session, user_id: int) -> AccountState:
    """The account's session epoch and whether it must change its password (one query)."""
    row = session.execute(
        select(AccountSecurity.session_epoch, AccountSecurity.must_change_password).where(
            AccountSecurity.user_id == user_id
        )
    ).first()
    return AccountState(row[0], row[1]) if row else AccountState(0, False)


def epoch(session: Session, user_id: int) -> int:
    return state(session, user_id).epoch


@unit_of_work()
def end_sessions(session: Session, actor: Actor, user_id: int, reason: str) -> int:
    """Make every session and token of this account invalid; commit. The new epoch."""
    row = _row(session, user_id)
    row.session_epoch += 1
    audit.record(
        session, actor, "sesi.akhiri", "user", user_id, None, {"epoch": row.session_epoch}, reason
    )
    return row.session_epoch


@unit_of_work()
def password_changed(session: Session, actor: Actor, user_id: int) -> int:
    """After a password change: every session of the account ends; a password set by someone
    else (an administrator's reset) must be replaced by the owner at the next sign-in. Commit;
    the new epoch."""
    row = _row(session, user_id)
    own = actor.user_id == user_id
    row.session_epoch += 1
    row.must_change_password = not own
    row.password_changed_at = utcnow()
    audit.record(
        session,
        actor,
        "sandi.ganti" if own else "sandi.reset",
        "user",
        user_id,
        None,
        {"wajib_ganti": not own},
    )
    return row.session_epoch


@unit_of_work()
def account_created(session: Session, actor: Actor, user_id: int) -> None:
    """An administrator created this login with a password they know: the owner replaces it
    at the first sign-in. Commit."""
    _row(session, user_id).must_change_password = True
    audit.record(session, actor, "akun.buat", "user", user_id, None, {"wajib_ganti": True})
