"""Each demo role signs in through the real login page in headless Chromium."""

import pytest

from tests.browser.conftest import ANSWERED, screenshot, sign_in, text_of

EXPECTED_MENU = {
    "admin": ["Organisasi", "Penilaian", "Kebijakan"],
    "kepegawaian": ["Organisasi", "Penilaian", "Kebijakan"],
    "perumus": ["Kebijakan"],
    "penilai": ["Penilaian"],
    "pegawai": ["Penilaian"],
}
HIDDEN_MENU = {
    "perumus": ["Organisasi"],
    "penilai": ["Organisasi", "Kebijakan"],
    "pegawai": ["Organisasi", "Kebijakan"],
}


@pytest.mark.browser
@pytest.mark.parametrize("role", list(EXPECTED_MENU))
def test_role_signs_in_and_sees_its_menu(live_server, page, role):
    external: list[str] = []
    page.on(
        "request",
        lambda request: (
            external.append(request.url)
            if not request.url.startswith(live_server) and not request.url.startswith("data:")
            else None
        ),
    )
    sign_in(page, live_server, role)
    assert "/login" not in page.url
    navbar = text_of(page, ".navbar")
    for menu in EXPECTED_MENU[role]:
        assert menu in navbar
    for menu in HIDDEN_MENU.get(role, []):
        assert menu not in navbar
    assert "Beranda" in text_of(page, "h1")
    path = screenshot(page, f"login-{role}")
    assert path.stat().st_size > 10_000
    assert external == []  # nothing fetched from outside: the panel runs on an intranet


@pytest.mark.browser
def test_wrong_password_stays_on_login_with_a_message(live_server, page):
    page.goto(f"{live_server}/login/")
    page.fill("#username", "admin")
    page.fill("#password", "salah-sekali-sandinya")
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" in page.url
    screenshot(page, "login-gagal")


@pytest.mark.browser
def test_the_next_page_asks_the_server_only_for_itself(live_server, page):
    """The assets of the first page are kept by the browser (app/web/static_assets.py): opening
    another panel page sends one request, not one per stylesheet, script and font."""
    sign_in(page, live_server, "kepegawaian")
    page.goto(f"{live_server}/employeemodelview/list/")
    page.wait_for_load_state("networkidle")
    before = len(ANSWERED)
    page.goto(f"{live_server}/unitmodelview/list/")
    page.wait_for_load_state("networkidle")
    assert ANSWERED[before:] == ["/unitmodelview/list/"]
