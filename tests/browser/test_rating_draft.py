"""In Chromium: the supervisor types on the rating form, the session expires mid-form, and
after signing in again nothing typed is lost: the autosaved draft is back in the form, and the
open page itself takes a fresh token and saves again."""

import re

import pytest

from tests.browser.conftest import screenshot, sign_in, text_of


@pytest.mark.browser
def test_an_expired_session_mid_form_loses_nothing(live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    sign_in(page, live_server, "penilai")
    page.goto(f"{live_server}/penilaian/tim/")
    page.locator("#tim-saya a", has_text="Nilai").first.click()
    page.wait_for_load_state("networkidle")
    form_url = page.url
    comments = page.locator("textarea[name^=comment-]")
    comments.nth(0).fill("Perlu mempercepat laporan bulanan")
    page.wait_for_selector("#status-draf:has-text('Draf tersimpan otomatis')")

    context.clear_cookies()  # the session expires while the form stays open
    comments.nth(1).fill("Kerja sama tim sangat baik")
    page.wait_for_selector("#status-draf:has-text('Sesi Anda berakhir')")
    screenshot(page, "draf-sesi-berakhir")

    other = context.new_page()  # signs in again in another tab
    sign_in(other, live_server, "penilai")
    comments.nth(1).fill("Kerja sama tim sangat baik sekali")  # the open form saves again
    page.wait_for_selector("#status-draf:has-text('Draf tersimpan otomatis')")

    other.goto(form_url)
    other.wait_for_load_state("networkidle")
    assert other.locator("#draf-dipulihkan").is_visible()
    restored = other.locator("textarea[name^=comment-]")
    assert restored.nth(0).input_value() == "Perlu mempercepat laporan bulanan"
    assert restored.nth(1).input_value() == "Kerja sama tim sangat baik sekali"
    screenshot(other, "draf-dipulihkan")

    page.click("button[value=draft]")  # the old page's form carries the fresh token
    page.wait_for_load_state("networkidle")
    assert re.search(r"Draf penilaian disimpan", text_of(page))
    context.close()
