"""The schema comes from Alembic migrations, on SQLite and PostgreSQL alike."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model
from sqlalchemy import inspect

from app.extensions import db

EXPECTED_TABLES = {
    "unit",
    "position",
    "employee",
    "unit_result",
    "period",
    "indicator",
    "ruleset_version",
    "skp",
    "rhk",
    "rating",
    "evaluation",
    "audit_log",
    "ab_user",
    "ab_role",
}


def test_migrations_build_every_table_from_an_empty_database(empty_app):
    with empty_app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert EXPECTED_TABLES <= tables
    assert "alembic_version" in tables


def test_migrations_match_the_models(empty_app):
    """A model change without a migration fails here rather than in production."""
    with empty_app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Model.metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(empty_app):
    from flask_migrate import downgrade, upgrade

    with empty_app.app_context():
        downgrade(revision="base")
        assert "employee" not in inspect(db.engine).get_table_names()
        upgrade()
        assert "employee" in inspect(db.engine).get_table_names()
