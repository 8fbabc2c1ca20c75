"""The restore drill of docs/operations.md, through the real `kinerja backup` / `kinerja restore`
commands: fill, back up, lose the database, the evidence and the key, restore, compare."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, table, text

from app.extensions import db
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database


def _fingerprint(app) -> dict[str, tuple[int, str]]:
    """Per table: row count and a checksum of every row's values (order-independent)."""
    result = {}
    with app.app_context():
        conn = db.session.connection()
        for name in sorted(inspect(conn).get_table_names()):
            everything = select(text("*")).select_from(table(name))
            rows = sorted(repr(tuple(row)) for row in conn.execute(everything))
            result[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        db.session.remove()
    return result


def _recreate(url: str) -> None:
    """Drop the database behind `url` and create it empty (PostgreSQL), or delete the file."""
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink()
        return
    import psycopg

    from tests.databases import POSTGRES_URL

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@pytest.mark.postgres
def test_backup_then_restore_gives_back_every_row_file_and_the_key(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        evidence = tmp_path / "evidence"
        app = build_app(url, KINERJA_EVIDENCE_DIR=str(evidence))
        app.instance_path = str(tmp_path / "instance")
        seed_demo(app)
        (evidence / "12").mkdir(parents=True)
        payload = bytes(range(256)) * 40
        (evidence / "12" / "laporan.pdf").write_bytes(payload)
        key = tmp_path / "instance" / "secret_key"
        key.parent.mkdir()
        key.write_text("kunci-sesi-instansi")
        before = _fingerprint(app)
        assert before["employee"][0] > 0 and before["alembic_version"][0] == 1

        runner = app.test_cli_runner()
        done = runner.invoke(args=["kinerja", "backup", "--output", str(tmp_path / "backups")])
        assert done.exit_code == 0, done.output
        folder = Path(done.output.strip())
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["backend"] == backend
        assert manifest["tables"]["employee"] == before["employee"][0]
        assert set(manifest["files"]) == {manifest["database"], "evidence.tar.gz", "secret_key"}

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        _recreate(url)
        for path in sorted(evidence.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        key.unlink()

        restored = runner.invoke(args=["kinerja", "restore", str(folder)])
        assert restored.exit_code == 0, restored.output
        assert "Dipulihkan" in restored.output
        assert _fingerprint(app) == before
        assert (evidence / "12" / "laporan.pdf").read_bytes() == payload
        assert key.read_text() == "kunci-sesi-instansi"


def test_a_damaged_backup_is_refused_before_anything_is_touched(empty_app, tmp_path):
    app = empty_app
    app.instance_path = str(tmp_path / "instance")
    app.config["KINERJA_EVIDENCE_DIR"] = str(tmp_path / "evidence")
    runner = app.test_cli_runner()
    done = runner.invoke(args=["kinerja", "backup", "--output", str(tmp_path / "backups")])
    assert done.exit_code == 0, done.output
    folder = Path(done.output.strip())
    with (folder / "evidence.tar.gz").open("ab") as handle:
        handle.write(b"tampered")
    refused = runner.invoke(args=["kinerja", "restore", str(folder), "--force"])
    assert refused.exit_code == 1
    assert "evidence.tar.gz hilang atau rusak" in refused.output


def test_a_non_empty_database_is_not_overwritten_without_force(demo_app, tmp_path):
    app = demo_app
    saved_instance = app.instance_path
    app.instance_path = str(tmp_path / "instance")
    try:
        runner = app.test_cli_runner()
        done = runner.invoke(args=["kinerja", "backup", "--output", str(tmp_path / "backups")])
        assert done.exit_code == 0, done.output
        refused = runner.invoke(args=["kinerja", "restore", done.output.strip()])
        assert refused.exit_code == 1
        assert "--force" in refused.output
    finally:
        app.instance_path = saved_instance
