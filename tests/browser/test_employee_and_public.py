"""In Chromium: an employee records realisation, uploads evidence (a disguised executable is
refused) and sees the live result; the supervisor answers; a citizen opens a unit's link, gives
feedback, and the public page shows the unit once five citizens have answered."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.enums import label
from app.extensions import db
from app.models import Employee, Indicator, Period, Rating, Rhk, Skp
from app.services.appraisal.evaluations import evaluate_employee
from app.services.engine_input import PUBLIC_INDICATOR
from tests.browser.conftest import screenshot, served, sign_in, text_of
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database
from tests.web.people import people

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _rated_with_live_result(app) -> str:
    """`pegawai` gets an approved SKP and submitted supervisor ratings in the open period, then
    the real engine evaluates them (what a supervisor's submit does). Returns the predikat."""
    with app.app_context():
        person = db.session.scalars(
            select(Employee).where(Employee.user.has(username="pegawai"))
        ).one()
        period = db.session.scalars(select(Period).where(Period.state == "open")).one()
        skp = Skp(period_id=period.id, employee_id=person.id, state="approved")
        db.session.add(skp)
        for position, text in enumerate(
            ("Laporan kinerja bidang tersusun tepat waktu", "Layanan data kepegawaian"), 1
        ):
            rhk = Rhk(
                skp=skp,
                position=position,
                kind="utama",
                text=text,
                iki="Persentase penyelesaian",
                target="100%",
            )
            db.session.add(rhk)
            db.session.add(
                Rating(
                    period_id=period.id,
                    ratee_id=person.id,
                    rater_id=person.supervisor_id,
                    rater_kind="supervisor",
                    rhk=rhk,
                    value_level="di_atas_ekspektasi",
                    state="submitted",
                )
            )
        for indicator in db.session.scalars(select(Indicator).where(Indicator.is_active)):
            if (
                "supervisor" not in indicator.rater_kinds.split(",")
                or person.position.kind not in indicator.jabatan_kinds.split(",")
                or indicator.code == PUBLIC_INDICATOR
            ):
                continue
            rating = Rating(
                period_id=period.id,
                ratee_id=person.id,
                rater_id=person.supervisor_id,
                rater_kind="supervisor",
                indicator_id=indicator.id,
                state="submitted",
            )
            if indicator.scale == "ekspektasi":
                rating.value_level = "di_atas_ekspektasi"
            else:
                rating.value_number = Decimal(5)
            db.session.add(rating)
        db.session.flush()
        evaluation = evaluate_employee(db.session, period, person.id)
        db.session.commit()
        return evaluation.final_predicate


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """A live server of this module's own (the scenario changes the demo's `pegawai`)."""
    tmp = tmp_path_factory.mktemp("live-eap")
    with fresh_database("sqlite", tmp) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True, KINERJA_EVIDENCE_DIR=str(tmp / "bukti"))
        seed_demo(app)
        predicate = _rated_with_live_result(app)
        people(app)  # gives the atasan pejabat penilai the login `atasan`
        try:
            with served(app) as base:
                yield base, predicate
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.mark.browser
def test_employee_uploads_evidence_and_sees_the_live_result(server, browser, tmp_path):
    base, predicate = server
    assert predicate, "the engine produced no predikat"
    employee = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(employee, base, "pegawai")
    employee.goto(f"{base}/kinerja-saya/")
    assert label(predicate) in text_of(employee, "#predikat-saya")
    assert employee.locator("#penjelasan-saya li").count() >= 2
    assert employee.locator("#riwayat svg circle").count() >= 1

    first = employee.locator(".rhk").first
    first.locator("select[name=month]").select_option("2026-11")
    first.locator("input[name=text]").fill("Laporan November tersusun dan dikirim")
    first.locator("input[name=value]").fill("100%")
    first.locator("text=Simpan realisasi").click()
    employee.wait_for_load_state("networkidle")
    assert "Realisasi disimpan" in text_of(employee)

    good = tmp_path / "daftar-hadir.pdf"
    good.write_bytes(PDF)
    row = employee.locator("tr.realisasi").first
    row.locator("input[type=file]").set_input_files(str(good))
    row.locator("text=Unggah bukti").click()
    employee.wait_for_load_state("networkidle")
    assert "Bukti dukung diunggah" in text_of(employee)
    assert "daftar-hadir.pdf" in text_of(employee, "tr.realisasi .bukti")

    bad = tmp_path / "laporan.pdf"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 512)  # a Windows executable renamed to .pdf
    row = employee.locator("tr.realisasi").first
    row.locator("input[type=file]").set_input_files(str(bad))
    row.locator("text=Unggah bukti").click()
    employee.wait_for_load_state("networkidle")
    assert "berkas ditolak" in text_of(employee)
    assert "laporan.pdf" not in text_of(employee, "tr.realisasi .bukti")
    assert label(predicate) in text_of(employee, "#predikat-saya")
    screenshot(employee, "kinerja-saya-bukti-dukung")

    supervisor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(supervisor, base, "penilai")
    supervisor.goto(f"{base}/kinerja-saya/")
    supervisor.locator("#bawahan a", has_text=employee_name(employee)).click()
    supervisor.wait_for_load_state("networkidle")
    supervisor.fill("input[name=feedback]", "Bagus; lampirkan juga notulen rapat.")
    supervisor.click("text=Kirim umpan balik")
    supervisor.wait_for_load_state("networkidle")
    with supervisor.expect_download() as download:
        supervisor.click("text=daftar-hadir.pdf")
    assert download.value.suggested_filename == "daftar-hadir.pdf"

    employee.reload()
    assert "lampirkan juga notulen rapat" in text_of(employee, ".umpan-balik")
    screenshot(employee, "kinerja-saya-umpan-balik")


def employee_name(page) -> str:
    return text_of(page, "#pegawai strong")


@pytest.mark.browser
def test_citizen_feedback_appears_once_the_group_is_large_enough(server, browser):
    base, _ = server
    citizen = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    citizen.goto(f"{base}/publik/")
    screenshot(citizen, "publik-akuntabilitas")
    citizen.click("a[href='/publik/unit/DINKES']")
    citizen.wait_for_load_state("networkidle")
    assert "Dinas Kesehatan Aceh" in text_of(citizen, "#nama-unit")
    screenshot(citizen, "publik-formulir")
    for n, stars in enumerate((5, 4, 4, 5, 3), start=1):
        if n > 1:
            citizen.goto(f"{base}/publik/unit/DINKES")
        citizen.check(f"input[name=stars][value='{stars}']")
        citizen.fill("#comment", f"Pelayanan cepat ({n})")
        citizen.click("text=Kirim penilaian")
        citizen.wait_for_load_state("networkidle")
        assert "Terima kasih" in text_of(citizen, "#terima-kasih")
        citizen.goto(f"{base}/publik/")
        row = text_of(citizen, "tr[data-berjalan=DINKES]")
        if n < 5:
            assert "Kurang dari 5 tanggapan" in row
    assert "4.20" in row and "5" in row
    screenshot(citizen, "publik-kepuasan-berjalan")
    citizen.goto(f"{base}/publik/unit/DINKES/qr.png")
    screenshot(citizen, "publik-qr")


@pytest.mark.browser
def test_employee_appeals_and_the_atasan_pejabat_penilai_upholds(server, browser):
    base, _ = server
    employee = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(employee, base, "pegawai")
    employee.goto(f"{base}/kinerja-saya/")
    employee.click("#pilih-periode >> text=Triwulan III 2026")
    employee.wait_for_load_state("networkidle")
    computed = text_of(employee, "#predikat-saya")
    employee.click('a.btn:has-text("Ajukan keberatan")')  # the help panel names it too
    employee.wait_for_load_state("networkidle")
    employee.fill("#reason", "Seluruh RHK utama tercapai melampaui target; bukti terlampir.")
    employee.select_option("#requested_predicate", "sangat_baik")
    employee.click("#ajukan-keberatan button[type=submit]")
    employee.wait_for_load_state("networkidle")
    assert "Keberatan diajukan" in text_of(employee)
    assert "Diajukan" in text_of(employee, "#keberatan-saya .status")

    atasan = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(atasan, base, "atasan")
    atasan.goto(f"{base}/keberatan/")
    atasan.fill("#keberatan-diputuskan textarea[name=reason]", "Bukti dukung meyakinkan.")
    screenshot(atasan, "keberatan-diputuskan")
    atasan.click("#keberatan-diputuskan button[value=uphold]")
    atasan.wait_for_load_state("networkidle")
    assert "Keberatan dikabulkan" in text_of(atasan)

    employee.goto(f"{base}/keberatan/")
    assert "Dikabulkan" in text_of(employee, "#keberatan-saya .status")
    assert employee.locator("#keberatan-saya .langkah li").count() == 2
    screenshot(employee, "keberatan-saya")
    employee.goto(f"{base}/kinerja-saya/")
    employee.click("#pilih-periode >> text=Triwulan III 2026")
    employee.wait_for_load_state("networkidle")
    assert "Sangat Baik" in text_of(employee, "#predikat-saya")
    assert computed in text_of(employee, "#perubahan-predikat")
