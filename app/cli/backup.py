"""`kinerja backup` and `kinerja restore` (docs/operations.md)."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.extensions import db
from app.ops.backup import BackupError, Instance, backup, restore


def _instance() -> Instance:
    key_from_env = bool(os.environ.get("SECRET_KEY", "").strip())
    return Instance(
        engine=db.engine,
        evidence_dir=Path(current_app.config["KINERJA_EVIDENCE_DIR"]),
        secret_key_file=None if key_from_env else Path(current_app.instance_path) / "secret_key",
    )


@click.command("backup")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("backups"),
    show_default=True,
    help="Folder tempat folder cadangan baru dibuat.",
)
@with_appcontext
def backup_command(output: Path) -> None:
    """Cadangkan basis data, berkas bukti dukung dan kunci sesi, dengan manifest checksum."""
    try:
        folder = backup(_instance(), output)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(str(folder))


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Timpa basis data, berkas dan kunci yang sudah ada.")
@with_appcontext
def restore_command(folder: Path, force: bool) -> None:
    """Pulihkan folder cadangan (checksum diperiksa dulu, jumlah baris sesudahnya)."""
    try:
        counts = restore(_instance(), folder, force=force)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Dipulihkan: {len(counts)} tabel, {sum(counts.values())} baris.")
