"""Extensions created unbound; the app factory binds them.

AppBuilder is not here: it keeps per-app state (its view list), so each app gets its own in
the factory, which lets tests build many apps in one process.
"""

from __future__ import annotations

import sqlite3

from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate
from sqlalchemy import event
from sqlalchemy.engine import Engine

db = SQLA()
migrate = Migrate()


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: object, _record: object) -> None:
    """SQLite ignores foreign keys unless each connection asks for them."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
