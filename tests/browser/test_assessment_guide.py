"""In Chromium: an employee opens "Cara Penilaian Kinerja" from the menu, reads the predikat
matrix, opens the help panel and follows a term to the glossary."""

from __future__ import annotations

from tests.browser.conftest import screenshot, sign_in


def test_employee_reads_how_they_are_assessed(live_server, page):
    sign_in(page, live_server, "pegawai")
    page.click("text=Kinerja Saya")
    page.click("text=Cara Penilaian Kinerja")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Cara Penilaian Kinerja"
    matrix = page.locator("#matriks-predikat")
    assert matrix.locator("tbody tr").count() == 3
    assert matrix.locator("tbody tr").first.locator("td").first.inner_text() == "Sangat Baik"
    page.click("#bantuan summary")
    assert page.locator("#bantuan").get_attribute("open") is not None
    screenshot(page, "cara-penilaian")
    page.click("a.istilah[href$='#tpp']")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/glosarium/#tpp")
    assert "Tambahan Penghasilan" in page.locator("#tpp").inner_text()
