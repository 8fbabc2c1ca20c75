"""`kinerja worker` and `kinerja beat`: the Celery worker and scheduler of this app."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext


def _connect_signals(app: Flask) -> None:
    """After fork each pool process opens its own connections; once ready, the worker looks
    at the unfinished jobs (`app.jobs.tasks.recover`)."""
    from celery.signals import worker_process_init, worker_ready

    from app.extensions import db
    from app.jobs import redelivers
    from app.jobs.tasks import recover

    def fresh_connections(**_: Any) -> None:
        with app.app_context():
            db.engine.dispose(close=False)

    def look_at_unfinished(**_: Any) -> None:
        celery = app.extensions["celery"]
        with app.app_context():
            queued = recover(celery, redelivers(celery))
        if queued:
            click.echo(f"{queued} pekerjaan yang belum selesai dijadwalkan ulang.")

    worker_process_init.connect(fresh_connections, weak=False)
    worker_ready.connect(look_at_unfinished, weak=False)


@click.command("worker")
@click.option("--concurrency", "-c", type=int, help="Jumlah proses (bawaan: satu per inti).")
@click.option(
    "--beat/--no-beat",
    default=False,
    help="Jalankan juga penjadwal (pengingat tenggat); cukup pada satu mesin.",
)
@click.option("--loglevel", default="INFO", show_default=True)
@with_appcontext
def worker_command(concurrency: int | None, beat: bool, loglevel: str) -> None:
    """Jalankan pekerja latar (Celery): penutupan, simulasi, impor, laporan, surel."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy typed as Flask
    _connect_signals(app)
    processes = concurrency or app.config["KINERJA_WORKER_CONCURRENCY"] or os.cpu_count() or 1
    argv = [
        "worker",
        f"--loglevel={loglevel}",
        f"--concurrency={processes}",
        "--without-gossip",
        "--without-mingle",
        f"--queues={app.config['KINERJA_QUEUE']}",
        f"--hostname=kinerja-{os.getpid()}@%h",
    ]
    if beat:
        argv += ["--beat", f"--schedule={Path(app.instance_path) / 'jadwal-beat'}"]
    app.extensions["celery"].worker_main(argv)


@click.command("beat")
@click.option("--loglevel", default="INFO", show_default=True)
@with_appcontext
def beat_command(loglevel: str) -> None:
    """Jalankan penjadwal (pengingat tenggat, surel tertunda); satu saja untuk semua mesin."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # a proxy typed as Flask
    schedule = Path(app.instance_path) / "jadwal-beat"
    app.extensions["celery"].start(["beat", f"--loglevel={loglevel}", f"--schedule={schedule}"])
