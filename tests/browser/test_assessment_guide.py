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


def test_first_login_tour_is_dismissed_and_reopened(live_server, page):
    sign_in(page, live_server, "penilai")
    tour = page.locator("#tur")
    assert tour.is_visible() and "Tim Saya" in tour.inner_text()
    page.click("#tutup-tur")
    assert not tour.is_visible()
    page.reload()
    assert not page.locator("#tur").is_visible()
    page.click("#buka-tur")
    assert page.locator("#tur").is_visible()
