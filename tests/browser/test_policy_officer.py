"""End to end in Chromium: a policy officer raises a weight in the form, sees the simulation and
publishes; Kepegawaian re-pins the period (in review); the employee's predikat changes as simulated.

The scenario changes the open period's ruleset, so it runs on a server and database of its own
rather than the shared live server of the other browser tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.browser.conftest import screenshot, served, sign_in, text_of
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database
from tests.web.ruleset_scenario import (
    RAISED_PEER_WEIGHT,
    employee_id_of,
    in_review,
    make_peer_sensitive,
    open_period_id,
    stored_predicate,
)


@pytest.fixture(scope="module")
def authoring_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    tmp = tmp_path_factory.mktemp("authoring")
    with fresh_database("sqlite", tmp) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True)
        seed_demo(app)
        with served(app) as base:
            yield base, app


def _page(browser):  # noqa: ANN001, ANN202
    return browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID").new_page()


@pytest.mark.browser
def test_weight_change_simulated_published_repinned_and_seen_by_the_employee(
    authoring_server, browser
):
    base, app = authoring_server
    period_id = open_period_id(app)
    employee_id = employee_id_of(app, "pegawai")
    nip = make_peer_sensitive(app, period_id, employee_id)
    assert stored_predicate(app, period_id, employee_id) == "baik"
    in_review(app, period_id)  # simulations run on periods in review or closed

    officer = _page(browser)
    sign_in(officer, base, "perumus")
    officer.goto(f"{base}/aturan/")
    screenshot(officer, "aturan-daftar")
    officer.locator("#daftar-versi tr[data-status=published] >> text=Bobot").first.click()
    officer.wait_for_load_state("networkidle")
    field = officer.locator("input[name='w:raters.peer']")
    assert field.input_value() == "20"
    field.fill(str(RAISED_PEER_WEIGHT))
    screenshot(officer, "aturan-bobot")
    officer.click("#simpan-bobot")
    officer.wait_for_load_state("networkidle")

    assert "/simulasi" in officer.url
    # a Perumus reads counts per predikat pair and per SKPA, never a person
    assert "Baik → Sangat Baik" in text_of(officer, "#perubahan-predikat")
    assert officer.locator("#daftar-berubah").count() == 0
    assert nip not in officer.content()
    assert officer.locator("#hasil-simulasi svg").count() == 2
    screenshot(officer, "aturan-simulasi")
    with officer.expect_download() as download:
        officer.click("#unduh-excel")
    assert download.value.suggested_filename.endswith(".xlsx")

    officer.click("#terbitkan")
    officer.wait_for_load_state("networkidle")
    assert "Ringkasan perubahan" in officer.content()
    officer.click("#terbitkan-sekarang")
    officer.wait_for_load_state("networkidle")
    assert "Diterbitkan" in text_of(officer, "#status-versi")
    published_url = officer.url
    screenshot(officer, "aturan-diterbitkan")
    # publishing alone changes no period
    assert stored_predicate(app, period_id, employee_id) == "baik"

    hr = _page(browser)
    sign_in(hr, base, "kepegawaian")
    hr.goto(published_url)
    hr.click("text=Pasang versi ini pada periode")
    hr.wait_for_load_state("networkidle")
    hr.select_option("#period_id", str(period_id))
    hr.fill("#reason", "Bobot rekan kerja dinaikkan sesuai keputusan pimpinan")
    hr.click("#pasang")
    hr.wait_for_load_state("networkidle")
    assert "predikat berubah" in text_of(hr, ".alert-success")
    screenshot(hr, "aturan-pasang-periode")

    employee = _page(browser)
    sign_in(employee, base, "pegawai")
    employee.goto(f"{base}/evaluationmodelview/list/")
    screenshot(employee, "pegawai-hasil-setelah-pasang")
    assert stored_predicate(app, period_id, employee_id) == "sangat_baik"
    row = employee.locator("tr", has_text="Triwulan IV 2026").inner_text()
    assert "sangat_baik" in row or "Sangat Baik" in row


@pytest.mark.browser
def test_editor_marks_a_mistake_in_the_gutter_while_typing(authoring_server, browser):
    base, _app = authoring_server
    officer = _page(browser)
    sign_in(officer, base, "perumus")
    officer.goto(f"{base}/aturan/1")
    officer.click("text=Buat draf baru dari versi ini")
    officer.wait_for_load_state("networkidle")
    assert "/ubah" in officer.url
    officer.wait_for_selector(".CodeMirror")
    officer.evaluate(
        "window.kinerjaEditor.setValue(window.kinerjaEditor.getValue()"
        ".replace('raters: {supervisor: 70', 'raters: {supervisor: -70'))"
    )
    officer.wait_for_selector(".CodeMirror-lint-marker-error", timeout=10_000)
    assert "Baris" in text_of(officer, "#masalah")
    officer.click("#masalah li >> nth=0")  # jumps to the line, so the gutter mark is in view
    assert officer.locator(".CodeMirror-lint-marker-error").is_visible()
    screenshot(officer, "aturan-editor-galat")
    officer.click("#simpan-draf")
    officer.wait_for_load_state("networkidle")
    assert "belum valid" in text_of(officer)
