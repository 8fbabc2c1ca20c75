"""Server-side sessions that can end: stored in Redis when `KINERJA_SESSION_REDIS_URL` is set,
else in the database; the browser holds only a random session id.

Every signed-in session carries the account's `session_epoch`, the time it signed in and the
time it was last used. A request whose session is older than the absolute lifetime, idle for
longer than the idle timeout, or from an older epoch (password changed, an administrator ended
the sessions) is signed out. Logging out deletes the stored session, so a copied cookie is
worth nothing afterwards. JWTs carry the epoch too and are refused once it has moved on.

Flask-Session provides the session interface and the Redis store. Its SQLAlchemy store is not
used: it creates its table outside the migrations, defines a model class per app (two apps in
one process collide) and commits the request's own database session when it saves. The store
below is Flask-Session's base interface on a table of our own, written on a connection of its
own.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, flash, jsonify, redirect, request, session, url_for
from flask.sessions import SessionMixin
from flask.sessions import TaggedJSONSerializer as _Tagged
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user, user_logged_in, user_logged_out
from flask_session.base import ServerSideSession, ServerSideSessionInterface
from flask_session.redis import RedisSessionInterface
from sqlalchemy import delete, insert, select, update
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import db
from app.models import HttpSession
from app.models.base import utcnow
from app.services.people import signin

EPOCH, SIGNED_IN_AT, LAST_SEEN = "_k_epoch", "_k_auth_at", "_k_seen"
#: The last use is stamped to the minute: a session is written once a minute of activity, not
#: on every request (each write is a transaction, and a page brings several requests).
SEEN_EVERY_SECONDS = 60
# Pages a user who must change their password may still reach.
OPEN_WHILE_FORCED = {
    "static",
    "appbuilder.static",
    "AuthDBView.logout",
    "AuthDBView.login",
    "KinerjaResetMyPasswordView.this_form_get",
    "KinerjaResetMyPasswordView.this_form_post",
}


def now() -> float:
    """Seconds since the epoch; one place so that tests can move the clock."""
    return time.time()


class _TaggedSerializer:
    """Session data encoded as Flask's own cookie sessions encode it (tuples, Markup, lazy
    strings from flash messages), which Flask-Session's msgpack encoder refuses."""

    def __init__(self) -> None:
        self._tagged = _Tagged()

    def encode(self, data: SessionMixin) -> bytes:
        return self._tagged.dumps(dict(data)).encode()

    def decode(self, raw: bytes) -> dict[str, Any]:
        return self._tagged.loads(raw.decode())


class DatabaseSessionInterface(ServerSideSessionInterface):
    """Flask-Session's interface on the `http_session` table (see the module docstring)."""

    session_class = ServerSideSession
    ttl = False  # rows carry their expiry; the base class deletes expired ones now and then

    def __init__(self, app: Flask, **options: Any) -> None:
        super().__init__(app, **options)
        self.serializer = _TaggedSerializer()

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        # The view has answered: what it left uncommitted is rolled back at teardown anyway.
        # End it now, because on SQLite an open write transaction of the request (e.g. a claim
        # refused by the unique index) locks the whole file against the session's own write.
        db.session.rollback()
        super().save_session(app, session, response)

    def _retrieve_session_data(self, store_id: str) -> dict[str, Any] | None:
        table = HttpSession.__table__
        with db.engine.begin() as connection:
            row = connection.execute(
                select(table.c.data, table.c.expiry).where(table.c.session_id == store_id)
            ).first()
            if row is None:
                return None
            if row.expiry <= utcnow():
                connection.execute(delete(table).where(table.c.session_id == store_id))
                return None
        return self.serializer.decode(bytes(row.data))

    def _delete_session(self, store_id: str) -> None:
        table = HttpSession.__table__
        with db.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.session_id == store_id))

    def _upsert_session(
        self, session_lifetime: timedelta, session: ServerSideSession, store_id: str
    ) -> None:
        table = HttpSession.__table__
        values = {"data": self.serializer.encode(session), "expiry": utcnow() + session_lifetime}
        with db.engine.begin() as connection:
            changed = connection.execute(
                update(table).where(table.c.session_id == store_id).values(**values)
            ).rowcount
            if not changed:
                connection.execute(insert(table).values(session_id=store_id, **values))

    def _delete_expired_sessions(self) -> None:
        table = HttpSession.__table__
        with db.engine.begin() as connection:
            connection.execute(delete(table).where(table.c.expiry <= utcnow()))


# Monitors call these without a session; they must answer while the session store is down.
PROBES = frozenset({"/health", "/ready", "/metrics"})


def _sessionless(app: Flask, path: str) -> bool:
    """Monitoring endpoints and static assets (ours and FAB's, all under the static URL path):
    none of them depends on who asks, and a page loads several assets."""
    return path in PROBES or path.startswith(f"{app.static_url_path}/")


class _SessionPolicy:
    """No session is read or written for the monitoring endpoints (app/web/ops.py) and the
    static assets; any other is written only when it changed."""

    serializer: _TaggedSerializer  # set by the interface this is mixed into

    def open_session(self, app: Flask, request: Any) -> Any:
        if _sessionless(app, request.path):
            return ServerSideSession(sid="", permanent=False)  # lives for the request only
        opened = super().open_session(app, request)  # type: ignore[misc]
        opened.as_stored = self._fingerprint(opened)
        return opened

    def _fingerprint(self, session: Any) -> tuple[str, bytes]:
        return session.sid, self.serializer.encode(session)

    def should_set_storage(self, app: Flask, session: Any) -> bool:
        """Only a session whose id or content changed is written: FAB assigns its page
        history on every page, which marks the session modified even when nothing changed."""
        return bool(session.modified) and self._fingerprint(session) != getattr(
            session, "as_stored", None
        )

    def save_session(self, app: Flask, session: Any, response: Any) -> None:
        if _sessionless(app, request.path):
            return None
        return super().save_session(app, session, response)  # type: ignore[misc]


class _DatabaseSessions(_SessionPolicy, DatabaseSessionInterface):
    pass


class _RedisSessions(_SessionPolicy, RedisSessionInterface):
    pass


def _interface(app: Flask) -> ServerSideSessionInterface:
    options = {"key_prefix": "kinerja:session:", "permanent": True, "sid_length": 32}
    url = app.config.get("KINERJA_SESSION_REDIS_URL")
    if url:
        from redis import Redis

        interface = _RedisSessions(app, client=Redis.from_url(url), **options)
        interface.serializer = _TaggedSerializer()
        return interface
    return _DatabaseSessions(app, cleanup_n_requests=200, **options)


def _stamp(sender: Flask, user: Any) -> None:
    """At sign-in: a new session id (no fixation), the account's epoch and the clock."""
    interface = current_app.session_interface
    if not isinstance(interface, ServerSideSessionInterface):  # set with this signal's hook
        raise RuntimeError("Sign-in without the server-side session store of register_sessions")
    interface.regenerate(session)
    session.permanent = True
    session[EPOCH] = signin.epoch(db.session, user.id)
    session[SIGNED_IN_AT] = session[LAST_SEEN] = now()


def _forget(sender: Flask, user: Any) -> None:
    """At sign-out: delete the stored session, not only the user id inside it."""
    session.clear()


def restamp_epoch(user_id: int) -> None:
    """After the user changed their own password: this session stays, every other one ends."""
    if session.get("_user_id") == str(user_id):
        session[EPOCH] = signin.epoch(db.session, user_id)


def _signed_out(message: str) -> ResponseReturnValue:
    logout_user()
    session.clear()
    if request.path.startswith("/api/"):
        return jsonify(message=message), 401
    flash(message, "warning")
    return redirect(url_for("AuthDBView.login"))


def _check_session() -> ResponseReturnValue | None:
    """Before every request of a signed-in session: lifetime, idle time, epoch, forced
    password change."""
    if "_user_id" not in session or not current_user.is_authenticated:
        return None
    config = current_app.config
    moment = now()
    signed_in_at = session.get(SIGNED_IN_AT) or 0
    if moment - signed_in_at > config["KINERJA_SESSION_MAX_HOURS"] * 3600:
        return _signed_out("Sesi telah mencapai batas waktu; silakan masuk kembali.")
    if moment - (session.get(LAST_SEEN) or 0) > config["KINERJA_SESSION_IDLE_MINUTES"] * 60:
        return _signed_out("Sesi berakhir karena tidak ada aktivitas; silakan masuk kembali.")
    state = signin.state(db.session, current_user.id)
    if session.get(EPOCH) != state.epoch:
        return _signed_out("Sesi ini telah diakhiri; silakan masuk kembali.")
    if moment - (session.get(LAST_SEEN) or 0) >= SEEN_EVERY_SECONDS:
        session[LAST_SEEN] = moment
    if state.must_change_password and request.endpoint not in OPEN_WHILE_FORCED:
        if request.path.startswith("/api/"):
            return jsonify(message="Ganti kata sandi Anda terlebih dahulu."), 403
        flash(
            "Kata sandi Anda dibuat oleh administrator; ganti dengan kata sandi Anda sendiri "
            "sebelum melanjutkan.",
            "warning",
        )
        return redirect(url_for("KinerjaResetMyPasswordView.this_form_get"))
    return None


def register_sessions(app: Flask) -> None:
    """Session store, trusted proxies and the per-request checks."""
    proxies = int(app.config.get("KINERJA_TRUSTED_PROXIES") or 0)
    if proxies > 0:  # without trusted proxies X-Forwarded-For is a client's free choice
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]  # as Flask's docs wrap it
            app.wsgi_app, x_for=proxies, x_proto=proxies
        )
    app.session_interface = _interface(app)
    user_logged_in.connect(_stamp, app)
    user_logged_out.connect(_forget, app)
    app.before_request(_check_session)
