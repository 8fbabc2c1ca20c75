"""Kepegawaian exports a unit's results from the reports page by searching for the unit by name
(the picker asks the server), in Chromium: no list of every unit, and the workbook is made and
offered for download."""

import re

import pytest

from tests.browser.conftest import screenshot, sign_in


@pytest.mark.browser
def test_kepegawaian_picks_a_unit_by_name_and_gets_its_excel(live_server, page):
    sign_in(page, live_server, "kepegawaian")
    page.goto(f"{live_server}/laporan/")
    unit = "Badan Kepegawaian Aceh"
    page.locator("#ekspor-unit .select2-selection").click()
    page.fill(".select2-search__field", "Kepegawaian")
    page.locator(".select2-results__option", has_text=re.compile(f"^{unit}$")).click()
    screenshot(page, "laporan-pilih-unit")
    page.click("#ekspor-unit button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/laporan/pekerjaan/" in page.url
    link = page.locator("#unduh-laporan")
    link.wait_for(timeout=60_000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert "BKA" in download.value.suggested_filename
