"""In Chromium, with CSRF and the content security policy on: an employee opens the dialog
kinerja from their dashboard, records a coaching session, and finds it on the dashboard."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in, text_of


@pytest.mark.browser
def test_employee_records_a_dialog_from_the_dashboard(live_server, page):
    sign_in(page, live_server, "pegawai")
    page.goto(f"{live_server}/kinerja-saya/")
    page.click("#ringkasan-dialog .panel-footer a")
    page.wait_for_load_state("networkidle")
    assert "/dialog-kinerja/" in page.url and "Belum ada catatan" in text_of(page)
    page.fill("#held_on", "2026-11-02")
    page.select_option("#kind", "bimbingan_kinerja")
    page.fill("#topic", "Menyusun laporan triwulan tepat waktu")
    page.fill("#notes", "Data dari bidang lain sering terlambat masuk.")
    page.fill("#follow_up", "Tenggat internal tanggal 25 setiap bulan.")
    page.click("#tambah-dialog button[type=submit]")
    page.wait_for_load_state("networkidle")
    body = text_of(page)
    assert "Catatan dialog kinerja disimpan." in body
    assert "2 November 2026" in body and "Bimbingan kinerja (coaching)" in body
    screenshot(page, "dialog-kinerja")
    page.goto(f"{live_server}/kinerja-saya/")
    assert "Menyusun laporan triwulan tepat waktu" in text_of(page, "#ringkasan-dialog")
