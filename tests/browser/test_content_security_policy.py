"""In Chromium, under the app's real Content-Security-Policy: the pages whose scripts work after
loading (FAB's select boxes, the date picker, Swagger UI, the rules editor, the rating preview)
still work and the browser reports no violation (an inline script or handler would be refused
and logged). Every other page is loaded under the policy by the crawl."""

from __future__ import annotations

import pytest

from tests.browser.conftest import Watch, screenshot, sign_in, text_of

# Every page a role reaches is loaded under the policy by the crawl (test_crawl.py), which
# reports what the browser refuses; here, pages whose scripts do their work after loading, each
# with what shows once they have (None: the page only has to load without a violation).
PAGES: dict[str, dict[str, str | None]] = {
    "kepegawaian": {
        "/employeemodelview/edit/1": ".select2-container",  # FAB's own select boxes
        "/periode/tambah": None,
    },
    "admin": {"/swagger/v1": ".swagger-ui .opblock"},
}


@pytest.mark.browser
@pytest.mark.parametrize("user", list(PAGES))
def test_pages_run_under_the_policy_without_violations(live_server, browser, user):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID").new_page()
    watch = Watch(page)
    sign_in(page, live_server, user)
    for path, ran in PAGES[user].items():
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status < 400, path
        if ran:
            page.wait_for_selector(ran, timeout=15_000)
        page.wait_for_load_state("networkidle")
        screenshot(page, f"csp-{user}-{path.strip('/').replace('/', '-')}")
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
