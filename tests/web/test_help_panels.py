"""Every role's menu over HTTP: each page a menu entry reaches has a "Bantuan" panel, and every
panel's glossary links land on a glossary entry."""

from __future__ import annotations

import re

import pytest

from app.domain.glossary import BY_KEY
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
