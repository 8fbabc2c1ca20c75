"""Extensions created unbound; the app factory binds them.

AppBuilder is not here: it keeps per-app state (its view list), so each app gets its own in
the factory, which lets tests build many apps in one process.
"""

from __future__ import annotations

import sqlite3

from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

db = SQLA()
migrate = Migrate()
# FAB protects its own generated forms only; the hand-written POST forms need this. FAB's REST
# APIs exempt themselves when it is installed before they are registered.
csrf = CSRFProtect()


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    """SQLite ignores foreign keys unless each connection asks for them; WAL with NORMAL sync
    keeps commits durable across crashes of the app while not waiting for a disk flush on each
    (the embedded database is for development and demos; production runs PostgreSQL)."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()
