"""Fixtures: an app on a migrated database, per backend (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2.bccache import Bucket, BytecodeCache

from tests.databases import BACKENDS, fresh_database


class _SharedTemplates(BytecodeCache):
    """Compiled templates kept for the whole test process: the suite builds some 230 apps, each
    with a template environment of its own that would compile the same templates again."""

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self._compiled:
            bucket.bytecode_from_string(self._compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = _SharedTemplates()


def _share_url_builders() -> None:
    """URL builders kept for the whole test process. Werkzeug generates and compiles a Python
    function per route and app (about 0.4 s of the 0.6 s an app takes to build); the function
    depends only on the route's parts, its defaults and whether unknown arguments are appended,
    and reads the rule's converters through the rule it is bound to, so apps can share it."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    built: dict[tuple[object, ...], Callable[..., tuple[str, str]]] = {}

    def shared(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        defaults = self.defaults or {}
        key = (
            self.rule,
            tuple(self._trace),
            tuple(
                (name, repr(value), type(self._converters.get(name)))
                for name, value in sorted(defaults.items())
            ),
            append_unknown,
        )
        builder = built.get(key)
        if builder is None:
            builder = built[key] = compile_builder(self, append_unknown)
        return builder

    Rule._compile_builder = shared  # type: ignore[method-assign]


_share_url_builders()


def build_app(url: str, **overrides: object) -> Flask:
    """An app on `url` with the schema migrated to head."""
    from flask_migrate import upgrade

    from app import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "SECRET_KEY": "test-only",
            "RATELIMIT_ENABLED": False,
            "AUTH_RATE_LIMITED": False,
            # background work runs in the calling process; tests/jobs runs real workers
            "KINERJA_BROKER_URL": "memory://localhost/",
            "KINERJA_TASKS_EAGER": True,
            # one officer publishes in most tests; tests/web/test_rule_forms.py turns the
            # second officer's approval (on by default) back on
            "KINERJA_FOUR_EYES": False,
            # scrypt at 1/32 of the production cost: each sign-in checks a hash, and the suite
            # signs in about 900 times (0.16 s each at full cost); every account and the dummy
            # hash for unknown names still share one method (test_login_protection)
            "FAB_PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
            **overrides,
        }
    )
    app.jinja_env.bytecode_cache = _TEMPLATES
    with app.app_context():
        upgrade()
    return app


def seed_demo(app: Flask) -> None:
    """Roles, shipped rules, indicators and the demo organisation, as `make run` does (less
    FAB's permission rows: the roles are checked from config/roles.py, and test_cli covers
    writing them)."""
    from app.cli import demo
    from app.extensions import db
    from app.services import setup

    with app.app_context():
        setup.initialise(db.session, Path(app.config["KINERJA_RULES_DIR"]))
        demo.load_demo(db.session)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def demo_app(
    backend: str, demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """One demo-seeded app per backend, shared by tests that only read or add their own rows."""
    tmp = tmp_path_factory.mktemp(f"demo-{backend}")
    with fresh_database(backend, tmp, template=demo_template) as url:
        app = build_app(url)
        yield app
        from app.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def demo_template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, demo-seeded database that nothing connects to, copied by every module that
    needs a demo database of its own."""
    tmp = tmp_path_factory.mktemp(f"template-{backend}")
    with fresh_database(backend, tmp) as url:
        app = build_app(url)
        seed_demo(app)
        from app.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        yield url


@pytest.fixture(scope="module")
def isolated_demo_app(
    backend: str, demo_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flask]:
    """A demo-seeded app of this test module's own: for tests that change shared state
    (close a period, publish a ruleset, ...), so they cannot disturb other modules."""
    tmp = tmp_path_factory.mktemp(f"isolated-{backend}")
    with fresh_database(backend, tmp, template=demo_template) as url:
        app = build_app(url)
        yield app
        from app.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="session")
def empty_template(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database that nothing connects to (see `demo_template`)."""
    tmp = tmp_path_factory.mktemp(f"empty-template-{backend}")
    with fresh_database(backend, tmp) as url:
        app = build_app(url)
        from app.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        yield url


@pytest.fixture()
def empty_app(backend: str, empty_template: str, tmp_path: Path) -> Iterator[Flask]:
    """A migrated but empty database: for tests of migrations, init and constraints."""
    with fresh_database(backend, tmp_path, template=empty_template) as url:
        app = build_app(url)
        yield app
        from app.extensions import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def statements(app: Flask, ignore: str | None = None) -> Iterator[list[str]]:
    """The SQL statements `app`'s engine runs while the block runs (those containing `ignore`
    left out)."""
    from sqlalchemy import event

    from app.extensions import db

    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        if ignore is None or ignore not in statement:
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def api_token(app: Flask, username: str, password: str | None = None) -> dict[str, str]:
    """Authorization header of a JWT from the real /api/v1/security/login."""
    from app.cli.demo import DEMO_PASSWORD

    response = app.test_client().post(
        "/api/v1/security/login",
        json={"username": username, "password": password or DEMO_PASSWORD, "provider": "db"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def login(client: FlaskClient, username: str, password: str | None = None) -> None:
    """Sign in through the real login form."""
    from app.cli.demo import DEMO_PASSWORD

    response = client.post(
        "/login/",
        data={"username": username, "password": password or DEMO_PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert "/login" not in response.headers.get("Location", "")


def signed_in(app: Flask, username: str) -> FlaskClient:
    """A test client of `app` signed in as `username` (demo password) through the login form."""
    client = app.test_client()
    login(client, username)
    return client


def unit_results_download(client: FlaskClient, unit_id: int, period_id: int) -> object:
    """Ask for a unit's results workbook as a person does (the form queues a job; tasks run
    eagerly in these apps) and return the response of the download it leads to."""
    queued = client.post("/laporan/unit-excel", data={"unit_id": unit_id, "period_id": period_id})
    if queued.status_code != 302 or "/laporan/pekerjaan/" not in queued.headers["Location"]:
        return queued
    page = client.get(queued.headers["Location"]).get_data(as_text=True)
    assert 'id="unduh-laporan"' in page, page[:500]
    return client.get(queued.headers["Location"].rstrip("/") + "/berkas")


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`make test` spreads test files over processes; the browser tests all go to one of them,
    so one Chromium and one live server serve them all instead of one per process."""
    from xdist.scheduler import LoadFileScheduling

    class BrowserTestsTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/browser/"):
                return "tests/browser"
            return super()._split_scope(nodeid)

    if config.getoption("dist") != "loadfile":
        return None
    return BrowserTestsTogether(config, log)
