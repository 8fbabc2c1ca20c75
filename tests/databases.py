"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database.

PostgreSQL tests need a server; where none answers they skip with the reason, except on CI
(`CI=true`), where an unreachable server is a failure, so a green CI always means both ran.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

POSTGRES_URL = os.environ.get(
    "KINERJA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
BACKENDS = ("sqlite", "postgresql")


def _postgres_admin_url() -> str:
    return POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)


def postgres_unavailable_reason() -> str | None:
    """None when the server answers; else why not."""
    import psycopg

    try:
        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return f"PostgreSQL tidak dapat dihubungi di {POSTGRES_URL}: {exc}".strip()


def require_postgres() -> None:
    """Skip (or fail on CI) when PostgreSQL is unreachable."""
    reason = postgres_unavailable_reason()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@contextmanager
def fresh_database(backend: str, tmp_dir: Path, template: str | None = None) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a new database, empty or a copy of `template` (a URL this
    function yielded before, with no connection open to it); drop it afterwards.

    Copying a migrated, seeded template (`CREATE DATABASE … TEMPLATE` on PostgreSQL, a file copy
    on SQLite) costs a fraction of migrating and seeding again for every test module.
    """
    if backend == "sqlite":
        path = tmp_dir / f"kinerja-{uuid.uuid4().hex[:8]}.db"
        if template is not None:
            shutil.copyfile(template.removeprefix("sqlite:///"), path)
        yield f"sqlite:///{path}"
        return
    require_postgres()
    import psycopg

    name = f"kinerja_test_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template.rsplit("/", 1)[1]}"' if template else ""
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    base = POSTGRES_URL.rsplit("/", 1)[0]
    try:
        yield f"postgresql+psycopg://{base.split('://', 1)[1]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
