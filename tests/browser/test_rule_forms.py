"""End to end in Chromium, with the second officer's approval on: a policy officer changes a level
threshold, adds an award rule with the condition builder and changes an allowance band without
typing YAML, sees the change summary and the simulation; a second officer approves; the first
publishes; Kepegawaian re-pins the open period from the to-do list; the employee's "Cara penilaian
kinerja" shows the new threshold and award. On a server and database of its own (the scenario
changes the open period's ruleset), on SQLite like the other journeys; the same scenario runs
through HTTP on both databases in tests/web/test_rule_forms_web.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import expect
from sqlalchemy import select

from app.cli.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import Period, RuleSetVersion
from app.services.people import accounts
from config.roles import PERUMUS
from tests.browser.conftest import screenshot, served, sign_in, text_of
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database


@pytest.fixture(scope="module")
def forms_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Flask]]:
    with fresh_database("sqlite", tmp_path_factory.mktemp("forms")) as url:
        app = build_app(url, WTF_CSRF_ENABLED=True, KINERJA_FOUR_EYES=True)
        seed_demo(app)
        with app.app_context():
            roles = accounts.ensure_roles(db.session)
            accounts.ensure_user(
                db.session,
                username="perumus2",
                password=DEMO_PASSWORD,
                first_name="Perumus",
                last_name="kedua",
                email="perumus2@demo.kinerja.local",
                roles=[roles[PERUMUS]],
            )
            db.session.commit()
        with served(app) as base:
            yield base, app


def _page(browser):  # noqa: ANN001, ANN202
    return browser.new_context(viewport={"width": 1280, "height": 1000}, locale="id-ID").new_page()


@pytest.mark.browser
def test_officer_changes_rules_by_form_second_approves_hr_repins(forms_server, browser):
    base, app = forms_server
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
    assert "paling sedikit 4,4" in text_of(officer, "#ringkasan-perubahan")

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
    sentence = text_of(officer, "#kalimat-kondisi")
    assert sentence == (
        "predikat paling sedikit Baik dan nilai Kepuasan Masyarakat paling sedikit 4,8"
    )
    screenshot(officer, "aturan-pembangun-kondisi")
    officer.click("#tambah-aturan")
    officer.wait_for_load_state("networkidle")
    assert "Pelayan Publik Teladan Utama" in text_of(officer, "#ringkasan-perubahan")

    # an allowance band
    officer.click("#bagian-aturan >> text=Komponen dan pita TPP")
    officer.fill("[id='v-consequences.allowance.disiplin_percent.1.percent']", "85")
    officer.click("#simpan-bagian")
    officer.wait_for_load_state("networkidle")
    summary = text_of(officer, "#ringkasan-perubahan")
    assert "90 % → 85 %" in summary and "4,4" in summary and "ditambahkan" in summary
    screenshot(officer, "aturan-formulir-ringkasan")
    draft_url = officer.url.split("/bagian/")[0]

    # the simulation on the closed quarter: distribution in words, TPP and awards, per SKPA
    officer.goto(f"{draft_url}/simulasi")
    officer.wait_for_selector("#hasil-simulasi", timeout=120_000)
    assert "Ditutup" in text_of(officer, "#periode-simulasi")
    assert "Dibuka" not in text_of(officer, "#periode-simulasi")  # open periods not offered
    table = text_of(officer, "#tabel-distribusi")
    assert "Belum lengkap" in table and "Tidak valid" in table and "_" not in table
    assert "90% → 85%" in text_of(officer, "#efek-pita-tpp")
    assert "Jumlah persentase TPP" in text_of(officer, "#ringkasan-tpp")
    assert officer.locator("#perubahan-skpa tbody tr").count() >= 2
    screenshot(officer, "aturan-simulasi-dampak")

    officer.goto(f"{draft_url}/terbitkan")
    assert officer.locator("#belum-disetujui").count() == 1
    assert officer.locator("#terbitkan-sekarang").is_disabled()
    screenshot(officer, "aturan-konfirmasi-belum-disetujui")

    second = _page(browser)
    sign_in(second, base, "perumus2")
    second.click("text=menunggu persetujuan Anda")
    second.wait_for_load_state("networkidle")
    second.goto(f"{draft_url}/terbitkan")
    second.click("#setujui")
    second.wait_for_load_state("networkidle")
    assert second.locator("#sudah-disetujui").count() == 1

    officer.goto(f"{draft_url}/terbitkan")
    assert "Pelayan Publik Teladan Utama" in text_of(officer, "#ringkasan-perubahan")
    officer.click("#terbitkan-sekarang")
    officer.wait_for_load_state("networkidle")
    assert "Diterbitkan" in text_of(officer, "#status-versi")
    screenshot(officer, "aturan-terbit-setelah-persetujuan")

    hr = _page(browser)
    sign_in(hr, base, "kepegawaian")
    hr.goto(f"{base}/")
    hr.click("text=Aturan penilaian baru telah terbit")
    hr.wait_for_load_state("networkidle")
    assert "/aturan-periode/" in hr.url
    hr.fill("[name=reason]", "Aturan baru diterbitkan")
    screenshot(hr, "aturan-pasang-ulang")
    hr.click("#pasang")
    hr.wait_for_load_state("networkidle")
    with app.app_context():
        period = db.session.scalars(select(Period).where(Period.state == "open")).one()
        version = db.session.get(RuleSetVersion, period.ruleset_version_id)
        assert version.status == "published" and version.number > 1
        assert "teladan-layanan" in version.yaml_text

    # what employees read follows the re-pin: the new threshold and the new award
    employee = _page(browser)
    sign_in(employee, base, "pegawai")
    employee.goto(f"{base}/kinerja-saya/cara-penilaian")
    guide = text_of(employee)
    assert "Pelayan Publik Teladan Utama" in guide and "paling sedikit 4,4" in guide
    screenshot(employee, "cara-penilaian-setelah-pasang")


@pytest.mark.browser
def test_the_builder_opens_on_an_existing_condition_and_saves_the_edit(forms_server, browser):
    """An award rule's and a level rule's current conditions load into the builder (facts,
    operators, values, the group kind); one value changed and saved rewrites only that rule's
    `when`; a new level rule is added by form."""
    base, app = forms_server
    with app.app_context():
        start = db.session.scalars(
            select(RuleSetVersion).where(RuleSetVersion.status == "published")
        ).one()
        start_id, start_text = start.id, start.yaml_text
    officer = _page(browser)
    sign_in(officer, base, "perumus")
    officer.goto(f"{base}/aturan/{start_id}/bagian/penghargaan")
    officer.click("[id='ubah-syarat-awards-1']")
    officer.wait_for_load_state("networkidle")
    builder = officer.locator("#pembangun-kondisi")
    assert builder.locator(".mode-kelompok").first.input_value() == "all"
    assert builder.locator(".fakta-syarat").nth(0).input_value() == "predicate"
    assert builder.locator(".operator-syarat").nth(0).input_value() == "gte"
    assert builder.locator(".nilai-syarat").nth(0).input_value() == "baik"
    assert builder.locator(".fakta-syarat").nth(1).input_value() == "indicator.KEPUASAN_PUBLIK"
    assert builder.locator(".nilai-syarat").nth(1).input_value() == "4,5"
    expect(officer.locator("#kalimat-kondisi")).to_contain_text("paling sedikit 4,5")
    builder.locator(".nilai-syarat").nth(1).fill("4,7")
    expect(officer.locator("#kalimat-kondisi")).to_contain_text("paling sedikit 4,7")
    screenshot(officer, "aturan-ubah-syarat")
    officer.click("#simpan-syarat")
    officer.wait_for_load_state("networkidle")
    assert "/bagian/penghargaan" in officer.url
    assert "4,7" in text_of(officer, "#ringkasan-perubahan")
    draft_id = int(officer.url.split("/aturan/")[1].split("/")[0])
    line = "    when: {predicate: {gte: baik}, indicator.KEPUASAN_PUBLIK: {gte: 4.5}}\n"
    with app.app_context():
        edited = db.session.get(RuleSetVersion, draft_id).yaml_text
    assert edited == start_text.replace(line, line.replace("4.5", "4.7"))

    # a level rule written as a block with "salah satu": loaded as that group, saved on one line
    officer.goto(f"{base}/aturan/{draft_id}/bagian/tingkat")
    officer.click("[id='ubah-syarat-levels.hasil_kerja-4']")
    officer.wait_for_load_state("networkidle")
    assert builder.locator(".mode-kelompok").first.input_value() == "any"
    assert builder.locator(".fakta-syarat").nth(0).input_value() == (
        "hasil_kerja.share.di_bawah_ekspektasi"
    )
    assert builder.locator(".nilai-syarat").nth(0).input_value() == "0,5"
    builder.locator(".nilai-syarat").nth(0).fill("0,6")
    expect(officer.locator("#kalimat-kondisi")).to_contain_text("lebih dari 60%")
    officer.click("#simpan-syarat")
    officer.wait_for_load_state("networkidle")
    with app.app_context():
        levels = db.session.get(RuleSetVersion, draft_id).yaml_text
    assert (
        "      when: {any: [{share.di_bawah_ekspektasi: {gt: 0.6}}, "
        "{utama.share.di_bawah_ekspektasi: {gte: 0.5}}]}\n"
    ) in levels
    assert levels.count("\n") == edited.count("\n") - 3

    # a new level rule, placed before the catch-all
    officer.click("#tambah-tingkat >> text=Kinerja lokal")
    officer.wait_for_load_state("networkidle")
    officer.select_option("#tingkat-baru", "cukup")
    builder.locator(".fakta-syarat").first.select_option("kinerja_lokal.score")
    builder.locator(".operator-syarat").first.select_option("gte")
    builder.locator(".nilai-syarat").first.fill("2,2")
    expect(officer.locator("#kalimat-kondisi")).to_contain_text("2,2")
    officer.click("#tambah-aturan-tingkat")
    officer.wait_for_load_state("networkidle")
    with app.app_context():
        added = db.session.get(RuleSetVersion, draft_id).yaml_text
    assert added == levels.replace(
        "    - level: perlu_pembinaan\n",
        "    - level: cukup\n      when: {score: {gte: 2.2}}\n    - level: perlu_pembinaan\n",
    )
