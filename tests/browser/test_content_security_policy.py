"""In Chromium, under the app's real Content-Security-Policy: every kind of page still works and
the browser reports no violation (an inline script or handler would be refused and logged)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in, text_of

PAGES: dict[str, list[str]] = {
    "": ["/login/", "/publik/", "/publik/unit/BKA"],
    "pegawai": ["/", "/kinerja-saya/", "/skp/saya/"],
    "penilai": ["/penilaian/tim/"],
    "kepegawaian": [
        "/employeemodelview/list/",
        "/employeemodelview/edit/1",
        "/laporan/",
        "/periode/",
        "/periode/tambah",
        "/periode/2",
        "/periode/2/progres",
    ],
    "perumus": ["/aturan/", "/aturan/1"],
    "admin": ["/users/list/", "/swagger/v1"],
}


class Watch:
    """Collects what the browser says about refused content and script errors."""

    def __init__(self, page) -> None:  # noqa: ANN001
        self.violations: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.violations.append(f"pageerror: {error}"))

    def _console(self, message) -> None:  # noqa: ANN001
        if message.type == "error" and "Content Security Policy" in message.text:
            self.violations.append(message.text)


def _visit(page, base: str, path: str, name: str) -> None:  # noqa: ANN001
    response = page.goto(f"{base}{path}")
    assert response is not None and response.status < 400, path
    page.wait_for_load_state("networkidle")
    screenshot(page, f"csp-{name}")


@pytest.mark.browser
@pytest.mark.parametrize("user", list(PAGES))
def test_pages_run_under_the_policy_without_violations(live_server, browser, user):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    watch = Watch(page)
    if user:
        sign_in(page, live_server, user)
    for path in PAGES[user]:
        slug = path.strip("/").replace("/", "-") or "beranda"
        _visit(page, live_server, path, f"{user or 'publik'}-{slug}")
    if user == "kepegawaian":
        page.goto(f"{live_server}/employeemodelview/edit/1")
        assert page.locator(".select2-container").count() > 0  # FAB's own script ran
    if user == "admin":
        page.goto(f"{live_server}/swagger/v1")
        page.wait_for_selector(".swagger-ui .opblock", timeout=15_000)
    assert watch.violations == []


@pytest.mark.browser
def test_rating_form_preview_runs_from_its_static_script(live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID").new_page()
    watch = Watch(page)
    sign_in(page, live_server, "penilai")
    page.goto(f"{live_server}/penilaian/tim/")
    page.locator("#tim-saya a", has_text="Nilai").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("input[type=radio]").first.check()
    page.wait_for_function("document.getElementById('pratinjau').textContent.trim() !== ''")
    page.wait_for_load_state("networkidle")
    assert "Ubah nilai untuk melihat" not in text_of(page, "#pratinjau")
    screenshot(page, "csp-penilai-formulir-penilaian")
    assert watch.violations == []


@pytest.mark.browser
def test_rules_editor_and_viewer_run_codemirror_under_the_policy(live_server, browser):
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID").new_page()
    watch = Watch(page)
    sign_in(page, live_server, "perumus")
    page.goto(f"{live_server}/aturan/1")
    page.wait_for_selector(".CodeMirror.cm-readonly")
    page.click("text=Buat draf baru dari versi ini")
    page.wait_for_load_state("networkidle")
    page.wait_for_selector(".CodeMirror")
    page.evaluate(
        "window.kinerjaEditor.setValue(window.kinerjaEditor.getValue()"
        ".replace('raters: {supervisor: 70', 'raters: {supervisor: -70'))"
    )
    page.wait_for_selector("#masalah li", timeout=10_000)
    page.click("#masalah li >> nth=0")  # the static script's click handler scrolls to the line
    assert page.locator(".CodeMirror-lint-marker-error").is_visible()
    assert "masalah" in text_of(page, "#status-validasi")
    screenshot(page, "csp-perumus-editor")
    assert watch.violations == []
