"""Kepegawaian narrows the employee list to one unit through the list's filter (a picker that
searches on the server), in Chromium."""

import re

import pytest

from tests.browser.conftest import screenshot, sign_in, text_of


@pytest.mark.browser
def test_kepegawaian_filters_employees_by_unit(live_server, page):
    sign_in(page, live_server, "kepegawaian")
    page.goto(f"{live_server}/employeemodelview/list/")
    total = int(re.search(r"Jumlah data:\s*(\d+)", text_of(page)).group(1))
    page.click("a.accordion-toggle")  # "Cari"
    page.click("#filter_form button.dropdown-toggle")  # "Tambah Filter"
    page.click("a.filter[name=unit]")
    unit = "Badan Kepegawaian Aceh"
    # the unit picker searches on the server as one types
    page.locator("table.filters .select2-selection").last.click()
    page.fill(".select2-search__field", "Kepegawaian")
    page.locator(".select2-results__option", has_text=re.compile(f"^{unit}$")).click()
    page.click("#filter_form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "_flt_0_unit=" in page.url
    found = int(re.search(r"Jumlah data:\s*(\d+)", text_of(page)).group(1))
    assert 0 < found < total
    units = page.locator("table.table tbody tr td:nth-child(8)").all_inner_texts()
    assert units and all(text.strip() == unit for text in units)
    screenshot(page, "employee-list-unit-filter")
