"""Kepegawaian exports a unit's results from the reports page by searching for the unit by name
(the picker asks the server), in Chromium: no list of every unit, and the file downloads."""

import re

import pytest

from tests.browser.conftest import screenshot, sign_in


@pytest.mark.browser
def test_kepegawaian_picks_a_unit_by_name_and_downloads_its_excel(live_server, page):
    sign_in(page, live_server, "kepegawaian")
    page.goto(f"{live_server}/laporan/")
    unit = "Badan Kepegawaian Aceh"
    page.locator("#ekspor-unit .select2-selection").click()
    page.fill(".select2-search__field", "Kepegawaian")
    page.locator(".select2-results__option", has_text=re.compile(f"^{unit}$")).click()
    screenshot(page, "laporan-pilih-unit")
    with page.expect_download() as download:
        page.click("#ekspor-unit button[type=submit]")
    assert re.fullmatch(r"hasil-BKA-\d+\.xlsx", download.value.suggested_filename)
