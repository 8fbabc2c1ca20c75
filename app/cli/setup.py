"""`kinerja init` and `kinerja demo`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli import demo
from app.extensions import db
from app.services import setup
from app.services.errors import ServiceError


def sync_permissions() -> None:
    """Write FAB's permission and menu rows for every registered view (deploy-time work)."""
    current_app.extensions["appbuilder"].add_permissions(update_perms=True)


@click.command("init")
@click.option("--admin-username", help="Nama pengguna administrator pertama.")
@click.option(
    "--admin-password",
    envvar="KINERJA_ADMIN_PASSWORD",
    help="Kata sandi administrator (atau variabel KINERJA_ADMIN_PASSWORD); ditanyakan bila kosong.",
)
@click.option(
    "--demo-if-empty", is_flag=True, help="Muat data demo bila belum ada pegawai (untuk make run)."
)
@with_appcontext
def init_command(
    admin_username: str | None, admin_password: str | None, demo_if_empty: bool
) -> None:
    """Siapkan basis data: peran, izin, aturan bawaan, katalog indikator, administrator."""
    if admin_username and not admin_password:
        admin_password = click.prompt(
            "Kata sandi administrator", hide_input=True, confirmation_prompt="Ulangi kata sandi"
        )
    sync_permissions()
    try:
        report = setup.initialise(
            db.session,
            Path(current_app.config["KINERJA_RULES_DIR"]),
            admin_username=admin_username,
            admin_password=admin_password,
        )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(
        f"Peran: {report.roles}; indikator baru: {report.indicators_added}; "
        f"aturan diimpor: {', '.join(report.rulesets_imported or []) or '-'}"
    )
    if report.admin_created:
        click.echo(f"Administrator '{admin_username}' dibuat.")
    if demo_if_empty and demo.is_empty(db.session):
        result = demo.load_demo(db.session)
        click.echo(f"Data demo dimuat: {result.units} SKPA, {result.employees} pegawai.")


@click.command("demo")
@click.option("--print-logins", is_flag=True, help="Hanya tampilkan akun demo.")
def demo_command(print_logins: bool) -> None:
    """Muat data demo ke basis data kosong (hanya untuk demo dan pengujian)."""
    if print_logins:
        click.echo(demo.login_help())
        return
    _load_demo()


@with_appcontext
def _load_demo() -> None:
    if not demo.is_empty(db.session):
        raise click.ClickException("Basis data sudah berisi pegawai; data demo tidak dimuat.")
    setup.initialise(db.session, Path(current_app.config["KINERJA_RULES_DIR"]))
    result = demo.load_demo(db.session)
    click.echo(f"Data demo dimuat: {result.units} SKPA, {result.employees} pegawai.")
    click.echo(demo.login_help())
