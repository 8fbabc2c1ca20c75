"""Backups: everything a restore needs, in one folder, with a manifest that proves it is whole.

Three things make a Kinerja instance: the database, the evidence files (bukti dukung) and the
session key (`instance/secret_key`, unless SECRET_KEY comes from the environment). A backup folder
holds the database (PostgreSQL's custom-format dump, which `pg_restore` can restore selectively
and in parallel; for SQLite a consistent copy made with SQLite's online backup), the evidence as
one tar archive, the key, and `manifest.json` with each file's SHA-256 and every table's row
count. A restore refuses a folder whose files do not match their checksums, and checks the row
counts after loading.

The dump and restore run PostgreSQL's own tools (`pg_dump`, `pg_restore`), whose major version
must be at least the server's.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, table

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Indonesian)."""


@dataclass(frozen=True)
class Instance:
    """Where one Kinerja instance keeps its state."""

    engine: Engine
    evidence_dir: Path
    secret_key_file: Path | None  # None: the key comes from the environment


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _libpq_url(engine: Engine) -> str:
    """The engine's URL as PostgreSQL's tools take it (no SQLAlchemy driver suffix)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table, every table of the schema (Alembic's included)."""
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        for name in sorted(inspect(conn).get_table_names()):
            counts[name] = conn.execute(select(func.count()).select_from(table(name))).scalar_one()
    return counts


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} gagal (kode {done.returncode}): {done.stderr.strip()}")


def _dump_database(engine: Engine, target: Path) -> str:
    if engine.dialect.name == "postgresql":
        path = target / "database.dump"
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), _libpq_url(engine)])
        return path.name
    if engine.dialect.name == "sqlite":
        path = target / "database.sqlite"
        source = sqlite3.connect(engine.url.database or "")
        try:
            copy = sqlite3.connect(path)
            with copy:
                source.backup(copy)
            copy.close()
        finally:
            source.close()
        return path.name
    raise BackupError(f"Basis data {engine.dialect.name} tidak didukung untuk cadangan.")


def backup(instance: Instance, out_dir: Path, now: datetime | None = None) -> Path:
    """Write a new backup folder under `out_dir` and return it."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    target = out_dir / f"kinerja-{stamp}"
    target.mkdir(parents=True, exist_ok=False)
    files = [_dump_database(instance.engine, target)]
    evidence = target / "evidence.tar.gz"
    with tarfile.open(evidence, "w:gz") as archive:
        if instance.evidence_dir.is_dir():
            archive.add(instance.evidence_dir, arcname="evidence")
    files.append(evidence.name)
    if instance.secret_key_file is not None and instance.secret_key_file.exists():
        key = target / "secret_key"
        shutil.copyfile(instance.secret_key_file, key)
        key.chmod(0o600)
        files.append(key.name)
    manifest = {
        "format": FORMAT,
        "created": (now or datetime.now(UTC)).isoformat(),
        "backend": instance.engine.dialect.name,
        "database": files[0],
        "files": {name: _sha256(target / name) for name in files},
        "tables": row_counts(instance.engine),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return target


def read_manifest(folder: Path) -> dict:
    """The folder's manifest, after checking every file against its checksum."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} bukan folder cadangan Kinerja (tidak ada {MANIFEST}).")
    manifest = json.loads(path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Format cadangan {manifest.get('format')} tidak dikenal.")
    for name, expected in manifest["files"].items():
        file = folder / name
        if not file.is_file() or _sha256(file) != expected:
            raise BackupError(f"Berkas {name} hilang atau rusak (checksum tidak cocok).")
    return manifest


def restore(instance: Instance, folder: Path, force: bool = False) -> dict[str, int]:
    """Load a backup into `instance`; returns the restored row counts (equal to the manifest's).

    The database must exist (PostgreSQL: empty, or `force` to replace what is there; SQLite: the
    file must not exist, or `force`). A different secret key already in place is only replaced
    with `force`: replacing it ends every session.
    """
    manifest = read_manifest(folder)
    backend = instance.engine.dialect.name
    if manifest["backend"] != backend:
        raise BackupError(
            f"Cadangan dari {manifest['backend']} tidak dapat dipulihkan ke {backend}."
        )
    _check_key(instance, folder, force)
    dump = folder / manifest["database"]
    if backend == "postgresql":
        if row_counts(instance.engine) and not force:
            raise BackupError("Basis data tujuan tidak kosong; pakai --force untuk menimpanya.")
        instance.engine.dispose()
        options = ["--clean", "--if-exists", "--no-owner", "--exit-on-error"]
        _run(["pg_restore", *options, "--dbname", _libpq_url(instance.engine), str(dump)])
    else:
        database = Path(instance.engine.url.database or "")
        if database.exists() and not force:
            raise BackupError(f"{database} sudah ada; pakai --force untuk menimpanya.")
        instance.engine.dispose()
        shutil.copyfile(dump, database)
    _restore_evidence(folder / "evidence.tar.gz", instance.evidence_dir)
    _put_key(instance, folder)
    counts = row_counts(instance.engine)
    if counts != manifest["tables"]:
        raise BackupError("Jumlah baris setelah pemulihan tidak sama dengan manifest.")
    return counts


def _restore_evidence(archive_path: Path, evidence_dir: Path) -> None:
    """Unpack with tarfile's `data` filter (no absolute paths, links out or devices)."""
    evidence_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=evidence_dir.parent) as scratch:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(scratch, filter="data")
        unpacked = Path(scratch) / "evidence"
        if unpacked.is_dir():
            shutil.copytree(unpacked, evidence_dir, dirs_exist_ok=True)


def _check_key(instance: Instance, folder: Path, force: bool) -> None:
    """Before anything is touched: refuse to replace a different key without `force`."""
    saved = folder / "secret_key"
    current = instance.secret_key_file
    if current is None or not saved.is_file() or not current.exists():
        return
    if current.read_bytes() != saved.read_bytes() and not force:
        raise BackupError(
            f"{current} berisi kunci lain; pakai --force untuk menggantinya (semua sesi berakhir)."
        )


def _put_key(instance: Instance, folder: Path) -> None:
    saved = folder / "secret_key"
    if instance.secret_key_file is None or not saved.is_file():
        return
    instance.secret_key_file.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(saved, instance.secret_key_file)
    instance.secret_key_file.chmod(0o600)
