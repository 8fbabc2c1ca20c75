"""`kinerja period ...`: the period lifecycle from the command line (same services as the panel)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from app.domain.dates import parse_dmy
from app.domain.enums import PERIOD_KINDS, label
from app.domain.wording import short_date
from app.extensions import db
from app.jobs.tasks import submit
from app.models import Period
from app.services.actor import SYSTEM
from app.services.appraisal import close, periods
from app.services.errors import ServiceError
from app.services.reports import progress


def _period_id(ref: str) -> int:
    """A period by id or by exact name."""
    if ref.isdigit():
        return int(ref)
    found = db.session.scalar(select(Period.id).where(Period.name == ref))
    if found is None:
        raise click.ClickException(f"Periode '{ref}' tidak ditemukan.")
    return found


@click.group("period", help="Siklus periode penilaian.")
def period() -> None:
    """The `period` group."""


@period.command("list")
@with_appcontext
def list_command() -> None:
    """Daftar periode beserta statusnya."""
    for row in db.session.scalars(select(Period).order_by(Period.start_date)):
        version = row.ruleset_version or "-"
        click.echo(f"{row.id:>4}  {row.name:<30} {label(row.state):<12} {version}")


@period.command("create")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice(list(PERIOD_KINDS)))
@click.option("--start", "start", required=True, help="Tanggal mulai, dd/mm/yyyy.")
@click.option("--end", "end", required=True, help="Tanggal selesai, dd/mm/yyyy.")
@with_appcontext
def create_command(name: str, kind: str, start: str, end: str) -> None:
    """Buat periode NAME (status Draf), dengan aturan yang sama seperti di panel."""
    draft = periods.PeriodDraft(
        name=name, kind=kind, start_date=parse_dmy(start), end_date=parse_dmy(end)
    )
    try:
        row = periods.create_period(db.session, SYSTEM, draft)
    except periods.InvalidPeriod as exc:
        raise click.ClickException(" ".join(exc.problems.values())) from None
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(
        f"Periode '{row.name}' dibuat ({label(row.kind)}, {short_date(row.start_date)}–"
        f"{short_date(row.end_date)}, {label(row.state)})."
    )


@period.command("status")
@click.argument("ref")
@click.argument("target", type=click.Choice(["open", "review"]))
@click.option(
    "--reason",
    help="Alasan (wajib saat membuka kembali periode yang ditutup, dan "
    "saat meninjau sebelum semua pegawai lengkap dinilai).",
)
@with_appcontext
def status_command(ref: str, target: str, reason: str | None) -> None:
    """Ubah status periode REF (id atau nama) ke TARGET."""
    try:
        row = periods.transition(db.session, SYSTEM, _period_id(ref), target, reason)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Periode '{row.name}' kini berstatus {label(row.state)}.")


@period.command("close")
@click.argument("ref")
@click.option(
    "--reason",
    help="Alasan (wajib bila ada temuan pola distribusi atau pegawai yang belum lengkap dinilai).",
)
@click.option("--chunk-size", default=close.DEFAULT_CHUNK, show_default=True)
@click.option(
    "--queue",
    is_flag=True,
    help="Serahkan ke pekerja latar (kinerja worker) alih-alih menjalankannya di sini.",
)
@with_appcontext
def close_command(ref: str, reason: str | None, chunk_size: int, queue: bool) -> None:
    """Evaluasi semua pegawai dan tutup periode REF; dapat dilanjutkan bila terputus."""
    period_id = _period_id(ref)
    try:
        click.echo(f"Kesiapan: {progress.readiness(db.session, period_id).sentence}.")
        if queue:
            job = close.request_close(db.session, SYSTEM, period_id, reason, chunk_size)
            submit(current_app.extensions["celery"], job.id)
            click.echo("Penutupan periode diserahkan ke pekerja latar; kemajuan tampil di panel.")
            return
        with click.progressbar(length=0, label="Mengevaluasi pegawai") as bar:
            state = {"done": 0}

            def advance(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - state["done"])
                state["done"] = done

            job = close.close_period(
                db.session, SYSTEM, period_id, reason, chunk_size=chunk_size, progress=advance
            )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Periode ditutup: {job.done} pegawai dievaluasi.")
