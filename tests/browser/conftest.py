"""A live server on the demo database and headless Chromium (Debian's package) via Playwright.

Outside CI a missing browser skips these tests with the reason; on CI (`CI=true`) it fails.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("KINERJA_CHROMIUM") or shutil.which("chromium")
    if path:
        return path
    reason = "Chromium tidak terpasang (apt-get install chromium) — uji peramban dilewati."
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


# The paths the live servers answered, oldest first (a test reads what was added while it ran).
ANSWERED: list[str] = []


class _Unlogged(WSGIRequestHandler):
    """No access-log line per request (a crawl makes hundreds; pytest would keep them all); the
    path goes to `ANSWERED` instead."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        ANSWERED.append(self.path)


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """`app` served by a real HTTP server in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_Unlogged)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a demo-seeded SQLite database, served by a real HTTP server in a thread."""
    tmp = tmp_path_factory.mktemp("live")
    with fresh_database("sqlite", tmp) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True)
        seed_demo(app)
        with served(app) as base:
            yield base


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


class Watch:
    """Collects what the browser says about refused content and script errors."""

    def __init__(self, page: object) -> None:
        self.violations: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.violations.append(f"pageerror: {error}"))

    def take(self) -> list[str]:
        """What was collected since the last call (for a report per page)."""
        taken, self.violations = self.violations, []
        return taken

    def _console(self, message: object) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(message.text)


def screenshot(page: object, name: str) -> Path:
    """Save a full-page screenshot for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def text_of(page: object, selector: str = "body") -> str:
    """The text of `selector` once the page has loaded.

    A click that submits a form returns as soon as the next page starts arriving; reading it then
    can catch a half-parsed body (only the skip link), so the load event is awaited first.
    """
    page.wait_for_load_state()
    return page.inner_text(selector)


def sign_in(page: object, base: str, username: str) -> None:
    from app.cli.demo import DEMO_PASSWORD

    page.goto(f"{base}/login/")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    with page.expect_navigation():  # the page the sign-in leads to, loaded
        page.click("input[type=submit], button[type=submit]")
