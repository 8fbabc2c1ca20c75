"""The `kinerja` command: a Flask CLI group, also installed as the `kinerja` console script.

`flask --app run kinerja init` and `kinerja init` are the same command. Commands that need the
database get an application context; `kinerja rules ...` does not, so it works with no database.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup, FlaskGroup

from app.cli.actor import cli_actor
from app.cli.backup import backup_command, restore_command
from app.cli.employee import employee
from app.cli.peers import peers
from app.cli.period import period
from app.cli.rules import rules
from app.cli.ruleset_versions import export_command, publish_command
from app.cli.setup import demo_command, init_command
from app.cli.worker import beat_command, worker_command


class _AuditedGroup(AppGroup):
    """Every write of a `kinerja` command is audited as the command line's (see cli_actor)."""

    def invoke(self, ctx: click.Context) -> Any:
        from app.services.audit import acting_as

        with acting_as(cli_actor()):
            return super().invoke(ctx)


kinerja = _AuditedGroup("kinerja", help="Perintah pengelolaan Kinerja ASN Aceh.")
kinerja.add_command(init_command)
kinerja.add_command(employee)
kinerja.add_command(demo_command)
kinerja.add_command(period)
kinerja.add_command(peers)
kinerja.add_command(worker_command)
kinerja.add_command(beat_command)
kinerja.add_command(rules)
kinerja.add_command(backup_command)
kinerja.add_command(restore_command)
rules.add_command(publish_command)  # the two `rules` commands that need the database
rules.add_command(export_command)


def register_cli(app: Flask) -> None:
    """Make `flask kinerja ...` available on this app."""
    app.cli.add_command(kinerja)


def _create_app() -> Flask:
    from app import create_app

    return create_app()


class _KinerjaCLI(FlaskGroup):
    """The console script: the `kinerja` group's commands at the top level."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return kinerja.get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return kinerja.list_commands(ctx)

    def invoke(self, ctx: click.Context) -> Any:
        from app.services.audit import acting_as

        with acting_as(cli_actor()):
            return super().invoke(ctx)


main = _KinerjaCLI(
    name="kinerja",
    help=kinerja.help,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
