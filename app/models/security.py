"""Sign-in state kept by the app beside FAB's user table: session revocation, forced password
change, per-account login throttling, and the server-side session store."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column


class AccountSecurity(Model):
    """One row per login that has ever changed state here (absent = defaults).

    `session_epoch` is copied into every session and token at sign-in; raising it (password
    change, an administrator's "end sessions") makes every older session and token invalid,
    whichever store holds them.
    """

    __tablename__ = "account_security"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True
    )
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginThrottle(Model):
    """Consecutive failed sign-ins per login name (known or not, so both behave alike).

    `name_key` is a hash of the lower-cased name: its length is bounded whatever is typed.
    """

    __tablename__ = "login_throttle"

    name_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime)


class HttpSession(Model):
    """Server-side session data when no Redis is configured (see app/web/sessions.py)."""

    __tablename__ = "http_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[str] = mapped_column(String(255), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expiry: Mapped[datetime] = mapped_column(DateTime, index=True)
