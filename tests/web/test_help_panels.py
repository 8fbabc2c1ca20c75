"""Every role's menu over HTTP: each page a menu entry reaches has a "Bantuan" panel, every
panel's glossary links land on a glossary entry, and a glossary term written in a help panel or
on a rule page is a link to its entry."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from app.domain.glossary import BY_KEY, mentions
from app.services.authoring.rule_sections import SECTIONS
from app.web.help import HELP
from tests.conftest import signed_in

ROLES = ("admin", "kepegawaian", "perumus", "penilai", "pegawai")
# Menu entries that are not pages of this application's own (FAB's security screens) or that
# are shown to citizens (the public page has its own plain layout of explanations).
EXCEPTIONS = re.compile(
    r"^/(users|roles|permissions|viewmenus|permissionviews|groups|registeruser|resetpassword"
    r"|resetmypassword|userinfoeditview|userdbmodelview|rolemodelview|actionlog|publik)"
)


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _menu(html: str) -> set[str]:
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    links = set(re.findall(r'href="(/[^"#]*)"', header))
    return {link for link in links if not re.search(r"/logout|/lang/|/login", link)}


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_page_of_a_role_has_a_help_panel(app, role):
    client = signed_in(app, role)
    home = client.get("/")
    assert 'id="bantuan"' in home.text
    pages = sorted(_menu(home.text))
    assert pages, role
    missing = []
    for page in pages:
        if EXCEPTIONS.search(page):
            continue
        response = client.get(page, follow_redirects=True)
        if role == "admin" and page == "/kinerja-saya/" and response.status_code == 404:
            continue  # the administrator account is not an employee: no own dashboard
        assert response.status_code == 200, page
        if 'id="bantuan"' not in response.text:
            missing.append(page)
    assert missing == [], f"{role}: {missing}"


def test_help_texts_name_only_glossary_terms_and_render_as_links(app):
    for endpoint, text in HELP.items():
        assert all(key in BY_KEY for key in text.terms), endpoint
    html = signed_in(app, "pegawai").get("/kinerja-saya/").text
    panel = html.split('id="bantuan"', 1)[1].split("</details>", 1)[0]
    assert 'href="/glosarium/#realisasi"' in panel and "Selanjutnya" in panel


def test_policy_officer_reads_the_rule_language_reference_in_the_app(app):
    client = signed_in(app, "perumus")
    assert 'href="/aturan-panduan/"' in client.get("/").text
    html = client.get("/aturan-panduan/").text
    assert 'id="panduan-aturan"' in html and "<table>" in html and "<h2>" in html
    assert signed_in(app, "pegawai").get("/aturan-panduan/").status_code in (302, 403)


def unlinked_terms(fragment: str) -> set[str]:
    """Glossary terms a piece of a page mentions without linking them anywhere in it (the
    first mention of a term in a text is linked; later ones need not be)."""
    linked = set(re.findall(r'href="/glosarium/#([a-z-]+)"', fragment))
    plain = re.sub(r"<a\b[^>]*>.*?</a>", " ", fragment, flags=re.S)
    plain = html_lib.unescape(re.sub(r"<[^>]+>", " ", plain))
    return {key for _s, _e, key in mentions(plain)} - linked


def texts(html: str, pattern: str) -> list[str]:
    """The elements of a page a pattern picks (paragraphs and list items of a region)."""
    return re.findall(pattern, html, flags=re.S)


@pytest.mark.parametrize("role", ROLES)
def test_every_glossary_term_in_a_help_panel_links_to_the_glossary(app, role):
    client = signed_in(app, role)
    checked = 0
    for page in sorted(_menu(client.get("/").text)):
        if EXCEPTIONS.search(page):
            continue
        html = client.get(page, follow_redirects=True).text
        if 'id="bantuan"' not in html:
            continue
        panel = html.split('id="bantuan"', 1)[1].split("</details>", 1)[0]
        for element in texts(panel, r"<(?:p|li)\b[^>]*>.*?</(?:p|li)>"):
            assert unlinked_terms(element) == set(), (page, element)
            checked += 1
    assert checked >= 3


def test_every_glossary_term_on_the_rule_pages_links_to_the_glossary(app):
    client = signed_in(app, "perumus")
    version = re.search(r'href="/aturan/(\d+)"', client.get("/aturan/").text).group(1)
    pages = [f"/aturan/{version}/bagian/{section}" for section in SECTIONS]
    pages += [
        f"/aturan/{version}/bagian/penghargaan?syarat=awards:1",
        "/aturan/",
        f"/aturan/{version}/bobot",
        f"/aturan/{version}/simulasi",
    ]
    linked = set()
    for page in pages:
        html = client.get(page).text
        content = html.split('id="bantuan"', 1)[-1].split("</details>", 1)[-1]
        for element in texts(content, r'<p class="(?:text-muted|kalimat-syarat)"[^>]*>.*?</p>'):
            assert unlinked_terms(element) == set(), (page, element)
            linked |= set(re.findall(r'href="/glosarium/#([a-z-]+)"', element))
    assert {
        "predikat-kinerja",
        "tpp",
        "ekspektasi",
        "berakhlak",
        "angka-kredit",
        "jenjang",
        "pejabat-penilai",
    } <= linked
