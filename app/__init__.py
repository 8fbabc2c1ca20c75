"""Kinerja: performance management for the civil servants (ASN) of the Aceh government."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing app.engine must not import Flask, so Flask is imported lazily
    from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: settings, database, panel, APIs and CLI, in that order.

    `config` overrides everything else; tests pass a database URL here.
    """
    from flask import Flask
    from flask_appbuilder import AppBuilder
    from werkzeug.utils import import_string

    import config as settings
    from app.cli import register_cli
    from app.extensions import csrf, db, migrate
    from app.jobs import init_celery
    from app.ops.logs import configure_logging, register_request_logging
    from app.ops.metrics import register_metrics
    from app.services import audit, lengths
    from app.web import register_filters, register_web
    from app.web.actor import signed_in_actor
    from app.web.errors import register_error_pages
    from app.web.form_messages import register_form_messages
    from app.web.headers import register_headers
    from app.web.index import KinerjaIndexView
    from app.web.login import register_login_protection
    from app.web.ops import register_ops
    from app.web.params import register_params
    from app.web.security import KinerjaSecurityManager
    from app.web.sessions import register_sessions
    from app.web.static_assets import register_static_assets

    app = Flask(__name__, instance_relative_config=True)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(settings.load(instance))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(Path(app.root_path) / "translations")
    if config:
        app.config.update(config)
    validator = app.config.get("FAB_PASSWORD_COMPLEXITY_VALIDATOR")
    if isinstance(validator, str):  # FAB calls it: a dotted name in settings becomes the function
        app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] = import_string(validator)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # worker processes write chunks beside the web process: wait for the lock, not fail
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options.setdefault("connect_args", {"timeout": 60})
        options["pool_pre_ping"] = False  # a file cannot drop a connection: no ping per checkout
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    configure_logging(
        app.config["KINERJA_LOG_FORMAT"], app.config["KINERJA_LOG_LEVEL"], attach=not app.testing
    )

    from app import models  # noqa: F401  (register tables before the migration tool looks)

    db.init_app(app)
    audit.install()
    lengths.install()
    audit.set_actor_resolver(signed_in_actor)
    csrf.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    register_sessions(app)
    register_login_protection(app)
    with app.app_context():
        appbuilder = AppBuilder(
            indexview=KinerjaIndexView,
            security_manager_class=KinerjaSecurityManager,
            update_perms=False,
        )
        appbuilder.init_app(app, db.session)
        register_web(appbuilder)
    register_error_pages(app)
    register_form_messages(app)
    register_headers(app)
    register_static_assets(app)
    register_params(app)
    register_filters(app)
    register_cli(app)
    init_celery(app)
    register_ops(app)
    register_metrics(app)
    register_request_logging(app)
    return app
