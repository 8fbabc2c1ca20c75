"""Hand-written POST forms are protected against cross-site requests like FAB's own forms."""

import re

import pytest

from app.cli.demo import DEMO_PASSWORD
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database


@pytest.fixture(scope="module")
def csrf_app(tmp_path_factory):
    with fresh_database("sqlite", tmp_path_factory.mktemp("csrf")) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True)
        seed_demo(app)
        yield app


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_post_without_token_is_refused_and_with_token_accepted(csrf_app):
    client = csrf_app.test_client()
    token = _token(client.get("/login/").get_data(as_text=True))
    client.post(
        "/login/", data={"username": "kepegawaian", "password": DEMO_PASSWORD, "csrf_token": token}
    )
    forged = client.post("/periode/2/status", data={"target": "review", "reason": "uji"})
    assert forged.status_code == 400
    assert "Halaman sudah kedaluwarsa" in forged.text  # and what to do, in the panel's layout
    assert "Muat ulang halaman" in forged.text and 'lang="id"' in forged.text
    assert "CSRF" not in forged.text
    assert "Dibuka" in client.get("/periode/2").get_data(as_text=True)  # nothing changed
    confirm = client.get("/periode/2/konfirmasi/review").get_data(as_text=True)
    real = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', confirm).group(1)
    accepted = client.post(
        "/periode/2/status", data={"target": "review", "reason": "uji", "csrf_token": real}
    )
    assert accepted.status_code == 302
    assert ">Peninjauan</span>" in client.get("/periode/2").get_data(as_text=True)


def test_api_stays_token_based(csrf_app):
    response = csrf_app.test_client().post(
        "/api/v1/security/login",
        json={"username": "penilai", "password": DEMO_PASSWORD, "provider": "db"},
    )
    assert response.status_code == 200
