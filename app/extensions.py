"""Extensions created unbound; the app factory binds them.

AppBuilder is not here: it keeps per-app state (its view list), so each app gets its own in
the factory, which lets tests build many apps in one process.
"""

from __future__ import annotations

from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate

db = SQLA()
migrate = Migrate()
