"""`kinerja employee ...`: changes to employee records from the command line (same services and
audit trail as the panel)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.cli.actor import cli_actor
from app.extensions import db
from app.services.errors import ServiceError
from app.services.people import organisation


@click.group("employee", help="Data pegawai.")
def employee() -> None:
    """The `employee` group."""


@employee.command("supervisor")
@click.argument("nip")
@click.argument("supervisor_nip", required=False)
@with_appcontext
def supervisor_command(nip: str, supervisor_nip: str | None) -> None:
    """Tetapkan atasan langsung (pejabat penilai) pegawai NIP; tanpa NIP atasan: dikosongkan."""
    try:
        row = organisation.set_supervisor(db.session, cli_actor(), nip, supervisor_nip)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    boss = row.supervisor.name if row.supervisor else "(tidak ada)"
    click.echo(f"Atasan {row.name} kini: {boss}.")
