"""`kinerja rules publish FILE --note ...` and `kinerja rules export VERSION`.

These need the database (unlike `rules check` and `rules eval`), so they run in an application
context. Publishing goes through the same service as the panel and the API: an invalid file is
refused with `FILE:LINE:COL: message` lines and exit status 1, and nothing is stored. With
four-eyes approval on (`KINERJA_FOUR_EYES`, the default) a file is first stored as a draft and
the command exits with status 3 (`AWAITING_APPROVAL`); once a second policy officer has approved
that draft in the panel or through the API, the same command publishes it.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.domain.enums import RulesetStatus
from app.extensions import db
from app.models import RuleSetVersion
from app.services.actor import SYSTEM
from app.services.appraisal.periods import latest_published
from app.services.authoring import ruleset_versions as versions
from app.services.errors import ServiceError

AWAITING_APPROVAL = 3  # exit status: stored as a draft, not published until approved


def _find(ref: str, name: str | None) -> RuleSetVersion:
    """A version by `NAME:NUMBER`, or by NUMBER within `name` (default: the ruleset of the
    latest published version)."""
    family, _, number = ref.rpartition(":")
    family = family or name or ""
    if not number.isdigit():
        raise click.BadParameter(
            "VERSION harus berupa NOMOR atau NAMA:NOMOR.", param_hint="VERSION"
        )
    if not family:
        current = latest_published(db.session)
        if current is None:
            raise click.ClickException("Belum ada aturan yang diterbitkan.")
        family = current.name
    found = db.session.scalar(
        select(RuleSetVersion).where(
            RuleSetVersion.name == family, RuleSetVersion.number == int(number)
        )
    )
    if found is None:
        raise click.ClickException(f"Versi {number} dari aturan '{family}' tidak ditemukan.")
    return found


@click.command("publish")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--note", required=True, help="Catatan perubahan (wajib).")
@click.option("--name", help="Nama aturan (bawaan: kunci 'name' di berkas).")
@with_appcontext
def publish_command(file: Path, note: str, name: str | None) -> None:
    """Validasi FILE lalu terbitkan sebagai versi baru; berkas tidak valid ditolak.

    Dengan persetujuan dua Perumus (KINERJA_FOUR_EYES), berkas disimpan dulu sebagai draf
    (status keluar 3) dan baru terbit setelah draf itu disetujui."""
    ceiling = versions.limits().max_bytes
    if file.stat().st_size > ceiling:
        raise click.ClickException(
            f"{file}:1:1: Berkas terlalu besar: {file.stat().st_size} bita (maksimal {ceiling})."
        )
    text = file.read_text(encoding="utf-8")
    try:
        version = versions.publish_text(db.session, SYSTEM, text, note, name)
    except versions.InvalidRuleset as exc:
        for issue in exc.issues:
            click.echo(issue.format(str(file)), err=True)
        raise SystemExit(1) from None
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    if version.status == RulesetStatus.DRAFT:
        click.echo(
            f"Belum diterbitkan: {version.name} versi {version.number} disimpan sebagai draf dan "
            "menunggu persetujuan Perumus Kebijakan kedua (KINERJA_FOUR_EYES). Setelah draf "
            "itu disetujui, jalankan perintah ini lagi dengan berkas yang sama untuk "
            "menerbitkannya.",
            err=True,
        )
        raise SystemExit(AWAITING_APPROVAL)
    click.echo(
        f"Diterbitkan: {version.name} versi {version.number} ({version.checksum[:12]}). "
        "Periode yang berjalan tetap memakai versinya sampai Kepegawaian memasang versi ini."
    )


@click.command("export")
@click.argument("version")
@click.option("--name", help="Nama aturan bila VERSION hanya nomor.")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Tulis ke berkas ini (bawaan: keluaran standar).",
)
@with_appcontext
def export_command(version: str, name: str | None, output: Path | None) -> None:
    """Tulis teks YAML versi VERSION (NOMOR atau NAMA:NOMOR) persis seperti tersimpan."""
    found = _find(version, name)
    if output is None:
        click.echo(found.yaml_text, nl=False)
    else:
        output.write_text(found.yaml_text, encoding="utf-8")
        click.echo(f"{found} ditulis ke {output}.", err=True)
