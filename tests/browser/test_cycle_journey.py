"""The whole appraisal cycle in Chromium, every role clicking from their landing page only (no
typed address but /login/): the employee drafts and submits an SKP, the supervisor finds it in
the to-do list and returns it, the employee edits an RHK and resubmits, the supervisor sees what
changed and approves, assigns peers, a peer answers from the to-do list, the supervisor rates,
Kepegawaian watches the progress, moves the period to review and, after setting the organisation
predikat, closes it (each after the readiness confirmation) and reads the summary; the employee
reads the result and the appeal window. Screenshots of each step:
tests/artifacts/screenshots/siklus-*.png."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.browser.conftest import screenshot, served, sign_in, text_of
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database

PEER_LOGIN = "rekan"


@pytest.fixture(scope="module")
def cycle_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A live server of this test's own (it closes the demo's open period), with a login for
    one colleague of the employee, who will be asked for peer feedback."""
    from app.cli.demo import DEMO_PASSWORD
    from app.extensions import db
    from app.models import Employee
    from app.services.people import accounts
    from config.roles import PEGAWAI

    with fresh_database("sqlite", tmp_path_factory.mktemp("cycle")) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True)
        seed_demo(app)
        with app.app_context():
            employee = db.session.scalars(
                select(Employee).where(Employee.user.has(username="pegawai"))
            ).one()
            colleague = next(
                s
                for s in sorted(employee.supervisor.subordinates, key=lambda e: e.name)
                if s.id != employee.id
            )
            roles = accounts.ensure_roles(db.session)
            user, _ = accounts.ensure_user(
                db.session,
                username=PEER_LOGIN,
                password=DEMO_PASSWORD,
                first_name="Rekan kerja",
                last_name="(uji)",
                email="rekan@uji.kinerja.local",
                roles=[roles[PEGAWAI]],
            )
            colleague.user = user
            db.session.commit()
            names = {"employee": employee.name, "peer": colleague.name}
        with served(app) as base:
            yield {"base": base, **names}


def _person(browser, base: str, username: str):
    page = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID").new_page()
    sign_in(page, base, username)
    assert page.locator("#daftar-tugas").is_visible(), "the landing page is the workspace"
    return page


def _click(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state("networkidle")


def _home(page) -> None:
    """Back to the workspace through the application name in the menu bar."""
    _click(page, ".navbar-brand a, a.navbar-brand")
    assert page.locator("#daftar-tugas").is_visible()


def _todo(page, key: str, text: str | None = None):
    item = page.locator(f"li.tugas[data-key={key}]")
    if text:
        item = item.filter(has_text=text)
    assert item.count() == 1, f"to-do {key} {text or ''}"
    return item


@pytest.mark.browser
def test_every_role_finishes_the_cycle_by_clicking(cycle_server, browser):
    base = cycle_server["base"]

    # 1. The employee drafts an SKP from the to-do list and submits it.
    employee = _person(browser, base, "pegawai")
    screenshot(employee, "siklus-01-pegawai-beranda")
    _todo(employee, "skp_susun").locator("a.tugas-utama").click()
    employee.wait_for_load_state("networkidle")
    for text, target in (
        ("Laporan kinerja triwulan tersusun tepat waktu", "100%"),
        ("Layanan data kepegawaian terselesaikan", "90%"),
    ):
        employee.fill("#tambah-rhk input[name=text]", text)
        employee.fill("#tambah-rhk input[name=iki]", "Persentase penyelesaian")
        employee.fill("#tambah-rhk input[name=target]", target)
        _click(employee, "#tambah-rhk button[type=submit]")
    _click(employee, "text=Ajukan SKP kepada atasan")
    assert "Diajukan" in text_of(employee, "#skp-status")
    screenshot(employee, "siklus-02-skp-diajukan")

    # 2. The supervisor finds it in the to-do list and returns it with a note.
    supervisor = _person(browser, base, "penilai")
    screenshot(supervisor, "siklus-03-penilai-beranda")
    _todo(supervisor, "skp_setujui").locator("a", has_text=cycle_server["employee"]).first.click()
    supervisor.wait_for_load_state("networkidle")
    supervisor.fill("textarea[name=comment]", "Target layanan data dinaikkan menjadi 100%.")
    _click(supervisor, "button[value=return]")
    assert "Dikembalikan" in text_of(supervisor, "#skp-status")

    # 3. The employee edits the RHK and resubmits.
    _home(employee)
    fix = _todo(employee, "skp_perbaiki")
    assert "dinaikkan menjadi 100%" in fix.inner_text()
    fix.locator("a.tugas-utama").click()
    employee.wait_for_load_state("networkidle")
    employee.click("#daftar-rhk tr:has-text('RHK-2') a:has-text('Ubah')")  # opens its form
    employee.fill("details[open] input[name=target]", "100%")
    screenshot(employee, "siklus-04-rhk-diubah")
    _click(employee, "details[open] button[type=submit]")
    assert "RHK diubah" in text_of(employee)
    _click(employee, "text=Ajukan SKP kepada atasan")

    # 4. The supervisor sees what changed and approves.
    _home(supervisor)
    _todo(supervisor, "skp_setujui").locator("a", has_text=cycle_server["employee"]).first.click()
    supervisor.wait_for_load_state("networkidle")
    changes = text_of(supervisor, "#perubahan-sejak-dikembalikan")
    assert "RHK-2" in changes and "90%" in changes and "100%" in changes
    screenshot(supervisor, "siklus-05-perubahan-sejak-dikembalikan")
    _click(supervisor, "button[value=approve]")
    assert "Disetujui" in text_of(supervisor, "#skp-status")

    # 5. The supervisor asks three colleagues for peer feedback.
    _home(supervisor)
    _todo(supervisor, "rekan_tetapkan").locator("a", has_text=cycle_server["employee"]).click()
    supervisor.wait_for_load_state("networkidle")
    assert "sedikitnya" in text_of(supervisor, "#status-rekan")
    supervisor.check(f"#pilih-rekan label:has-text('{cycle_server['peer']}') input")
    for box in supervisor.locator("#pilih-rekan input[type=checkbox]:not(:checked)").all()[:2]:
        box.check()
    _click(supervisor, "#pilih-rekan button[type=submit]")
    assert supervisor.locator("#rekan-ditetapkan tr[data-peer]").count() == 3
    screenshot(supervisor, "siklus-06-rekan-ditetapkan")

    # 6. The peer answers from the to-do list.
    peer = _person(browser, base, PEER_LOGIN)
    request = _todo(peer, "rekan_diminta")
    assert cycle_server["employee"] in request.inner_text()
    screenshot(peer, "siklus-07-rekan-beranda")
    request.locator("a.tugas-utama").click()
    peer.wait_for_load_state("networkidle")
    for radio in peer.locator("input[type=radio][value=sesuai_ekspektasi]").all():
        radio.check()
    for radio in peer.locator("input[type=radio][value='4']").all():
        radio.check()
    _click(peer, "button[value=submit]")
    screenshot(peer, "siklus-08-rekan-menjawab")
    _home(peer)
    assert peer.locator("li.tugas[data-key=rekan_diminta]").count() == 0

    # 7. The supervisor rates the employee from the to-do list.
    _home(supervisor)
    rate = _todo(supervisor, "belum_dinilai")
    assert "31 Desember 2026" in rate.inner_text()
    rate.locator("a", has_text=cycle_server["employee"]).click()
    supervisor.wait_for_load_state("networkidle")
    for radio in supervisor.locator("input[type=radio][value=di_atas_ekspektasi]").all():
        radio.check()
    for radio in supervisor.locator("input[type=radio][value='4']").all():
        radio.check()
    _click(supervisor, "button[value=submit]")
    assert "Sangat Baik" in text_of(supervisor, "#predikat")
    screenshot(supervisor, "siklus-09-penilaian-diajukan")
    _home(supervisor)
    assert supervisor.locator("li.tugas[data-key=belum_dinilai]").count() == 0

    # 8. Kepegawaian watches the progress, moves the period to review after the readiness
    #    confirmation, sets the organisation predikat of every unit, closes the period after
    #    the confirmation and reads the summary.
    hr = _person(browser, base, "kepegawaian")
    period = _todo(hr, "periode_lanjut")
    assert "pegawai lengkap dinilai" in period.inner_text()
    screenshot(hr, "siklus-10-kepegawaian-beranda")
    period.locator("a.tugas-utama").click()
    hr.wait_for_load_state("networkidle")
    screenshot(hr, "siklus-11-kemajuan-periode")
    _click(hr, "a:has-text('Pindahkan ke Peninjauan')")
    assert "pegawai lengkap dinilai" in text_of(hr, "#kesiapan-angka")
    hr.fill("#alasan", "Penilaian triwulan selesai; data dibekukan untuk peninjauan.")
    screenshot(hr, "siklus-12-konfirmasi-peninjauan")
    _click(hr, "#konfirmasi")
    assert "Peninjauan" in text_of(hr, "#status-periode")
    units = hr.locator("select[name=unit_id] option").all_inner_texts()
    for unit in units:
        hr.select_option("select[name=unit_id]", label=unit)
        hr.select_option("select[name=predicate]", value="baik")
        _click(hr, "button:has-text('Tetapkan predikat organisasi')")
    screenshot(hr, "siklus-13-predikat-organisasi")
    _home(hr)
    assert hr.locator("li.tugas[data-key=predikat_organisasi]").count() == 0
    _todo(hr, "periode_lanjut", "Peninjauan").locator("a.tugas-utama").click()
    hr.wait_for_load_state("networkidle")
    _click(hr, "a:has-text('Tutup periode')")
    assert "pegawai lengkap dinilai" in text_of(hr, "#kesiapan-angka")
    hr.fill("#alasan", "Seluruh pegawai yang memiliki pejabat penilai telah dinilai.")
    screenshot(hr, "siklus-14-konfirmasi-tutup")
    _click(hr, "#konfirmasi")
    hr.wait_for_selector("#status-periode:has-text('Ditutup')", timeout=180_000)
    screenshot(hr, "siklus-15-periode-ditutup")
    _click(hr, "#lihat-ringkasan")
    screenshot(hr, "siklus-16-ringkasan")
    _home(hr)
    assert _todo(hr, "periode_ringkasan", "Triwulan IV 2026").is_visible()

    # 9. The employee reads the result and sees the appeal window.
    _home(employee)
    screenshot(employee, "siklus-17-pegawai-hasil")
    window = _todo(employee, "masa_keberatan", "Triwulan IV 2026")
    assert "hari lagi" in window.inner_text()
    _todo(employee, "hasil_baru", "Triwulan IV 2026").locator("a.tugas-utama").click()
    employee.wait_for_load_state("networkidle")
    assert text_of(employee, "#predikat-saya").strip()
    screenshot(employee, "siklus-18-dasbor-hasil")
    _home(employee)
    _todo(employee, "masa_keberatan", "Triwulan IV 2026").locator("a.tugas-utama").click()
    employee.wait_for_load_state("networkidle")
    screenshot(employee, "siklus-19-keberatan")
    assert "keberatan" in text_of(employee).lower()
