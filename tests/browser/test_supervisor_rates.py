"""End to end in Chromium: the employee proposes an SKP, the supervisor approves it, rates the
employee in the generated form, and sees the predikat and why."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in, text_of


@pytest.mark.browser
def test_supervisor_rates_a_subordinate_end_to_end(live_server, browser):
    employee = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(employee, live_server, "pegawai")
    employee.goto(f"{live_server}/skp/saya/")
    for text in ("Laporan kinerja triwulan tersusun tepat waktu", "Layanan data kepegawaian"):
        employee.fill("#tambah-rhk input[name=text]", text)
        employee.fill("#tambah-rhk input[name=iki]", "Persentase penyelesaian")
        employee.fill("#tambah-rhk input[name=target]", "100%")
        employee.click("text=Tambah RHK >> nth=-1")
        employee.wait_for_load_state("networkidle")
    employee.click("text=Ajukan SKP kepada atasan")
    employee.wait_for_load_state("networkidle")
    assert "Diajukan" in text_of(employee, "#skp-status")
    skp_url = employee.url
    screenshot(employee, "skp-diajukan")

    supervisor = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    sign_in(supervisor, live_server, "penilai")
    supervisor.goto(skp_url)
    supervisor.click("button[value=approve]")
    supervisor.wait_for_load_state("networkidle")
    assert "Disetujui" in text_of(supervisor, "#skp-status")

    supervisor.goto(f"{live_server}/penilaian/tim/")
    screenshot(supervisor, "tim-saya")
    row = supervisor.locator("#tim-saya tr", has_text=employee_name(employee))
    row.locator("a", has_text="Nilai").click()
    supervisor.wait_for_load_state("networkidle")
    for radio in supervisor.locator("input[type=radio][value=di_atas_ekspektasi]").all():
        radio.check()
    for radio in supervisor.locator("input[type=radio][value='4']").all():
        radio.check()
    # the preview follows the last answer after the page's own delay: wait for it, not a moment
    expect(supervisor.locator("#pratinjau")).to_contain_text("Sangat Baik", timeout=30_000)
    supervisor.click("button[value=submit]")
    supervisor.wait_for_load_state("networkidle")
    assert "Sangat Baik" in text_of(supervisor, "#predikat")
    assert supervisor.locator("#penjelasan li").count() >= 2
    screenshot(supervisor, "penilaian-diajukan")


def employee_name(page) -> str:
    """The name the app shows for the signed-in employee's SKP."""
    return text_of(page, "h1 + p strong")
