"""Password guessing is throttled on both login paths: the form and the API."""

import pytest

from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database


@pytest.fixture(scope="module")
def throttled_app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("throttle")
    with fresh_database("sqlite", tmp) as url:
        app = build_app(url, AUTH_RATE_LIMITED=True, AUTH_RATE_LIMIT="5 per minute",
                        RATELIMIT_ENABLED=True)  # fmt: skip
        seed_demo(app)
        yield app


def test_api_login_is_throttled(throttled_app):
    client = throttled_app.test_client()
    codes = [
        client.post("/api/v1/security/login",
                    json={"username": "admin", "password": f"salah-{n}", "provider": "db"}
                    ).status_code  # fmt: skip
        for n in range(8)
    ]
    assert codes[:5] == [401] * 5
    assert codes[-1] == 429


def test_form_login_is_throttled(throttled_app):
    client = throttled_app.test_client()
    codes = [
        client.post("/login/", data={"username": "admin", "password": f"salah-{n}"}).status_code
        for n in range(8)
    ]
    assert codes[-1] == 429
