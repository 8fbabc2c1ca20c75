"""In Chromium, by clicking from the landing page only: Kepegawaian defines a period with the
Indonesian date picker (and is told, beside the fields, what is wrong), watches the open
period's progress, moves it to review after the readiness confirmation, sets an organisation
predikat, closes after a second confirmation and reads the summary; a pejabat penilai sees the
progress of their own team.

The scenario closes the demo period, so it runs on a server and database of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.browser.conftest import screenshot, served, sign_in, text_of
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database
from tests.workflow.helpers import DEMO_PERIOD


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("period-progress")
    with fresh_database("sqlite", tmp) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True, KINERJA_PROGRESS_MAX_AGE=0)
        seed_demo(app)
        with served(app) as base:
            yield base


def _page(browser):  # noqa: ANN001, ANN202
    return browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID").new_page()


def _to_periods(page) -> None:  # noqa: ANN001
    """Menu Penilaian -> Periode, from wherever the person is."""
    page.click("a.dropdown-toggle:has-text('Penilaian')")
    page.click('ul.dropdown-menu a:text-is("Periode")')
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
def test_supervisor_sees_the_progress_of_their_team(server, browser):
    page = _page(browser)
    sign_in(page, server, "penilai")
    _to_periods(page)
    page.click(f"#daftar-periode >> text={DEMO_PERIOD}")
    page.click("#lihat-kemajuan")
    assert "tim saya" in text_of(page, "h1")
    assert "pegawai lengkap dinilai" in text_of(page, "#kesiapan-angka")
    assert page.locator("text=Pindahkan ke Peninjauan").count() == 0  # not theirs to do
    screenshot(page, "periode-kemajuan-tim-penilai")


@pytest.mark.browser
def test_hr_defines_a_period_with_the_date_picker(server, browser):
    page = _page(browser)
    sign_in(page, server, "kepegawaian")
    _to_periods(page)
    page.click("#tambah-periode")
    page.fill("#name", "Triwulan I 2027")
    page.select_option("#kind", "triwulanan")
    page.click("#start_date")
    picker = page.locator(".datepicker-dropdown")
    picker.wait_for(state="visible")
    month_names = picker.inner_text()
    assert re.search(
        r"Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|"
        r"November|Desember",
        month_names,
    )
    assert "Sn\tSl\tRb" in month_names  # Indonesian day names, the week starting on Monday
    screenshot(page, "periode-tambah-pemilih-tanggal")
    page.keyboard.press("Escape")
    page.fill("#start_date", "01/12/2026")  # overlaps the demo's fourth quarter
    page.fill("#end_date", "31/01/2027")
    page.click("#simpan-periode")
    errors = text_of(page, "#form-periode")
    assert "Tumpang tindih" in errors and DEMO_PERIOD in errors
    assert "berakhir 28/02/2027" in errors  # and the length the kind needs, at once
    screenshot(page, "periode-tambah-ditolak")
    page.fill("#start_date", "01/01/2027")
    page.fill("#end_date", "31/03/2027")
    page.click("#simpan-periode")
    assert "01/01/2027 – 31/03/2027" in text_of(page)
    assert text_of(page, "#status-periode") == "Draf"


@pytest.mark.browser
def test_hr_watches_progress_confirms_review_and_close_then_reads_the_summary(server, browser):
    page = _page(browser)
    sign_in(page, server, "kepegawaian")
    _to_periods(page)
    screenshot(page, "periode-daftar")
    page.click(f"#daftar-periode >> text={DEMO_PERIOD}")
    page.click("#lihat-kemajuan")
    readiness = text_of(page, "#kesiapan-angka")
    assert re.search(r"\d+ dari \d+ pegawai lengkap dinilai", readiness), readiness
    assert page.locator("#kemajuan-skpa tbody tr").count() >= 1
    screenshot(page, "periode-kemajuan")

    page.click("#kemajuan-skpa tbody tr >> nth=0 >> td >> nth=6 >> a")  # "Belum lengkap" count
    page.wait_for_selector("#daftar-tertinggal")
    assert "belum lengkap dinilai" in text_of(page, "h1")
    assert page.locator("#daftar-tertinggal tbody tr td code").count() >= 1
    screenshot(page, "periode-kemajuan-rincian")
    page.go_back()

    page.click("text=Pindahkan ke Peninjauan")
    confirm = text_of(page, "#kesiapan")
    assert "pegawai lengkap dinilai" in confirm
    screenshot(page, "periode-konfirmasi-peninjauan")
    page.click("#konfirmasi")  # without a reason: the browser asks for one (required field)
    assert "konfirmasi/review" in page.url
    page.fill("#alasan", "Batas waktu penilaian triwulan telah lewat.")
    page.click("#konfirmasi")
    assert text_of(page, "#status-periode") == "Peninjauan"

    page.select_option("#pilih-predikat", "baik")
    page.click("text=Tetapkan predikat organisasi")
    assert "Predikat organisasi disimpan" in text_of(page)

    page.click("text=Tutup periode")
    assert "pegawai lengkap dinilai" in text_of(page, "#kesiapan")
    screenshot(page, "periode-konfirmasi-tutup")
    page.fill("#alasan", "Ditutup sesuai jadwal; pegawai yang belum lengkap dicatat.")
    page.click("#konfirmasi")
    page.wait_for_selector("#lihat-ringkasan", timeout=120_000)
    assert text_of(page, "#status-periode") == "Ditutup"
    screenshot(page, "periode-ditutup")

    page.click("#lihat-ringkasan")
    assert "Distribusi predikat seluruh provinsi" in text_of(page)
    assert page.locator("#grafik-provinsi svg").count() == 1
    assert page.locator("#tabel-provinsi tbody tr").count() == 6
    assert "SKPA tanpa predikat organisasi" in text_of(page)
    screenshot(page, "periode-ringkasan")
