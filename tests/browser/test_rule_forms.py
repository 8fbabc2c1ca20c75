"""End to end in Chromium, with the second officer's approval on: a policy officer changes a level
threshold, adds an award rule with the condition builder and changes an allowance band without
typing YAML, sees the change summary; a second officer approves; the first publishes; Kepegawaian
re-pins the open period from the to-do list. On SQLite and PostgreSQL, each on a server and
database of its own (the scenario changes the open period's ruleset)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from app.extensions import db
from app.models import Period, RuleSetVersion
from app.services import accounts
from app.services.demo import DEMO_PASSWORD
from config.roles import PERUMUS
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def forms_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Flask, str]]:
    tmp = tmp_path_factory.mktemp(f"forms-{request.param}")
    with fresh_database(request.param, tmp) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True, KINERJA_FOUR_EYES=True)
        seed_demo(app)
        with app.app_context():
            roles = accounts.ensure_roles(db.session)
            accounts.ensure_user(
                db.session, username="perumus2", password=DEMO_PASSWORD, first_name="Perumus",
                last_name="kedua", email="perumus2@demo.kinerja.local", roles=[roles[PERUMUS]],
            )  # fmt: skip
            db.session.commit()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", app, request.param
        finally:
            server.shutdown()


def _page(browser):  # noqa: ANN001, ANN202
    return browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID").new_page()


@pytest.mark.browser
def test_officer_changes_rules_by_form_second_approves_hr_repins(forms_server, browser):
    base, app, backend = forms_server
    officer = _page(browser)
    sign_in(officer, base, "perumus")
    with app.app_context():
        start = db.session.scalars(
            select(RuleSetVersion.id).where(RuleSetVersion.status == "published")
        ).one()
    officer.goto(f"{base}/aturan/{start}")
    officer.click("#ubah-formulir")
    officer.wait_for_load_state("networkidle")
    assert officer.locator("#matriks-predikat select").count() == 9

    # a level threshold
    officer.click("#bagian-aturan >> text=Aturan tingkat")
    officer.fill("[id='v-levels.kinerja_lokal.0.when.score.gte']", "4,4")
    officer.click("#simpan-bagian")
    officer.wait_for_load_state("networkidle")
    assert "/bagian/tingkat" in officer.url
    assert "paling sedikit 4,4" in officer.inner_text("#ringkasan-perubahan")

    # an award rule with the condition builder
    officer.click("#bagian-aturan >> text=Penghargaan")
    officer.fill("#nama-aturan", "teladan-layanan")
    officer.fill("#hasil-aturan", "Pelayan Publik Teladan Utama")
    builder = officer.locator("#pembangun-kondisi")
    builder.locator(".fakta-syarat").first.select_option("predicate")
    builder.locator(".operator-syarat").first.select_option("gte")
    builder.locator(".nilai-syarat").first.select_option("baik")
    builder.locator(".tambah-syarat").first.click()
    builder.locator(".fakta-syarat").nth(1).select_option("indicator.KEPUASAN_PUBLIK")
    builder.locator(".operator-syarat").nth(1).select_option("gte")
    builder.locator(".nilai-syarat").nth(1).fill("9")
    expect(officer.locator("#galat-kondisi")).to_contain_text("antara 1 dan 5")
    assert officer.locator("#galat-kondisi").is_visible()
    builder.locator(".nilai-syarat").nth(1).fill("4,8")
    expect(officer.locator("#kalimat-kondisi")).to_contain_text("4,8")
    sentence = officer.inner_text("#kalimat-kondisi")
    assert sentence == (
        "predikat paling sedikit Baik dan nilai Kepuasan Masyarakat paling sedikit 4,8"
    )
    screenshot(officer, f"aturan-pembangun-kondisi-{backend}")
    officer.click("#tambah-aturan")
    officer.wait_for_load_state("networkidle")
    assert "Pelayan Publik Teladan Utama" in officer.inner_text("#ringkasan-perubahan")

    # an allowance band
    officer.click("#bagian-aturan >> text=Komponen dan pita TPP")
    officer.fill("[id='v-consequences.allowance.disiplin_percent.1.percent']", "85")
    officer.click("#simpan-bagian")
    officer.wait_for_load_state("networkidle")
    summary = officer.inner_text("#ringkasan-perubahan")
    assert "90 % → 85 %" in summary and "4,4" in summary and "ditambahkan" in summary
    screenshot(officer, f"aturan-formulir-ringkasan-{backend}")
    draft_url = officer.url.split("/bagian/")[0]

    officer.goto(f"{draft_url}/terbitkan")
    assert officer.locator("#belum-disetujui").count() == 1
    assert officer.locator("#terbitkan-sekarang").is_disabled()
    screenshot(officer, f"aturan-konfirmasi-belum-disetujui-{backend}")

    second = _page(browser)
    sign_in(second, base, "perumus2")
    second.click("text=menunggu persetujuan Anda")
    second.wait_for_load_state("networkidle")
    second.goto(f"{draft_url}/terbitkan")
    second.click("#setujui")
    second.wait_for_load_state("networkidle")
    assert second.locator("#sudah-disetujui").count() == 1

    officer.goto(f"{draft_url}/terbitkan")
    assert "Pelayan Publik Teladan Utama" in officer.inner_text("#ringkasan-perubahan")
    officer.click("#terbitkan-sekarang")
    officer.wait_for_load_state("networkidle")
    assert "Diterbitkan" in officer.inner_text("#status-versi")
    screenshot(officer, f"aturan-terbit-setelah-persetujuan-{backend}")

    hr = _page(browser)
    sign_in(hr, base, "kepegawaian")
    hr.goto(f"{base}/")
    hr.click("text=Aturan penilaian baru telah terbit")
    hr.wait_for_load_state("networkidle")
    assert "/aturan-periode/" in hr.url
    hr.fill("[name=reason]", "Aturan baru diterbitkan")
    screenshot(hr, f"aturan-pasang-ulang-{backend}")
    hr.click("#pasang")
    hr.wait_for_load_state("networkidle")
    with app.app_context():
        period = db.session.scalars(select(Period).where(Period.state == "open")).one()
        version = db.session.get(RuleSetVersion, period.ruleset_version_id)
        assert version.status == "published" and version.number > 1
        assert "teladan-layanan" in version.yaml_text
