"""`kinerja peers draw`: ask colleagues for peer feedback for a whole unit at once (the same
use case as the peers screen, acting as the system)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.cli.period import _period_id
from app.extensions import db
from app.models import Unit
from app.services.actor import SYSTEM
from app.services.appraisal import peers as peer_service
from app.services.appraisal import periods
from app.services.errors import ServiceError


@click.group("peers", help="Rekan penilai.")
def peers() -> None:
    """The `peers` group."""


@peers.command("draw")
@click.argument("period_ref")
@click.option("--unit", "unit_code", required=True, help="Kode unit kerja (mis. BKA-PER).")
@click.option(
    "--count",
    default=peer_service.MIN_PEERS,
    show_default=True,
    help="Jumlah rekan yang diminta untuk setiap pegawai.",
)
@click.option("--seed", type=int, help="Benih undian (hasil dapat diulang).")
@with_appcontext
def draw_command(period_ref: str, unit_code: str, count: int, seed: int | None) -> None:
    """Undi rekan penilai bagi setiap pegawai UNIT yang rekannya kurang dari COUNT."""
    period_id = _period_id(period_ref)
    try:
        periods.ensure_open(periods.get_period(db.session, period_id))
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    unit_id = db.session.scalar(select(Unit.id).where(Unit.code == unit_code))
    if unit_id is None:
        raise click.ClickException(f"Unit '{unit_code}' tidak ditemukan.")
    drawn = refused = 0
    for row in peer_service.ratees(db.session, SYSTEM, period_id, unit_id):
        missing = count - row.assigned
        if missing <= 0:
            continue
        try:
            drawn += len(
                peer_service.draw_peers(db.session, SYSTEM, period_id, row.ratee_id, missing, seed)
            )
        except ServiceError as exc:
            db.session.rollback()
            refused += 1
            click.echo(f"{row.name} ({row.nip}): {exc.message}", err=True)
    click.echo(f"{drawn} rekan penilai diundi; {refused} pegawai tidak dapat diundikan.")
    if refused:
        raise SystemExit(1)
