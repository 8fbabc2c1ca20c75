"""Kepegawaian narrows the employee list to one unit through the list's filter, in Chromium."""

import re

import pytest

from tests.browser.conftest import screenshot, sign_in


@pytest.mark.browser
def test_kepegawaian_filters_employees_by_unit(live_server, page):
    sign_in(page, live_server, "kepegawaian")
    page.goto(f"{live_server}/employeemodelview/list/")
    total = int(re.search(r"Jumlah data:\s*(\d+)", page.inner_text("body")).group(1))
    page.click("a.accordion-toggle")  # "Cari"
    page.click("#filter_form button.dropdown-toggle")  # "Tambah Filter"
    page.click("a.filter[name=unit]")
    value = page.locator("table.filters select[name^=_flt_]").last
    unit = "Badan Kepegawaian Aceh"
    value.select_option(label=unit, force=True)  # Select2 hides the select it decorates
    page.click("#filter_form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "_flt_0_unit=" in page.url
    found = int(re.search(r"Jumlah data:\s*(\d+)", page.inner_text("body")).group(1))
    assert 0 < found < total
    units = page.locator("table.table tbody tr td:nth-child(8)").all_inner_texts()
    assert units and all(text.strip() == unit for text in units)
    screenshot(page, "employee-list-unit-filter")
