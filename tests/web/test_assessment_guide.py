"""Cara penilaian kinerja over HTTP: every employee reads, from the menu, how the published rules
pinned to the period decide levels, the predikat, awards, training, TPP and angka kredit; the page
and its PDF follow the rules when a new version is published and pinned."""

from __future__ import annotations

import re

import pytest

from app.domain.glossary import BY_KEY, TERMS
from tests.conftest import signed_in
from tests.web.people import people


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return people(app)


@pytest.mark.parametrize("username", ["pegawai", "penilai", "kepegawaian"])
def test_every_employee_reaches_the_page_from_the_menu(app, cast, username):
    client = signed_in(app, username)
    assert 'href="/kinerja-saya/cara-penilaian"' in client.get("/").text
    html = client.get("/kinerja-saya/cara-penilaian").text
    assert "Cara Penilaian Kinerja" in html and 'id="sumber-aturan"' in html


def test_page_describes_the_pinned_rules_in_plain_indonesian(app, cast):
    address = f"/kinerja-saya/cara-penilaian?periode={cast.closed_period}"
    html = signed_in(app, "pegawai").get(address).text
    matrix = html.split('id="matriks-predikat"')[1].split("</table>")[0]
    assert matrix.count("<td>Sangat Baik</td>") == 1 and matrix.count("<td>") == 9
    assert "Pejabat penilai: <strong>70%</strong>" in html
    assert "Pegawai Berprestasi Pemerintah Aceh" in html
    assert "predikat Sangat Baik berturut-turut" in html and "paling sedikit 2" in html
    assert "Pelatihan Pelayanan Publik" in html and 'id="tpp"' in html
    assert 'id="angka-kredit"' in html and "Ahli Muda" in html
    for code in ("sangat_baik", "hasil_kerja.", "None", "True", "indicator."):
        assert code not in html, code


def test_pdf_is_a_printable_document(app, cast):
    response = signed_in(app, "pegawai").get(
        f"/kinerja-saya/cara-penilaian.pdf?periode={cast.closed_period}"
    )
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")


def test_anonymous_is_sent_to_sign_in(app):
    assert app.test_client().get("/kinerja-saya/cara-penilaian").status_code in (302, 401, 403)


def test_glossary_is_open_to_all_and_every_guide_term_link_has_an_entry(app, cast):
    glossary = app.test_client().get("/glosarium/").text
    for term in TERMS:
        assert f'id="{term.key}"' in glossary and term.source in glossary
    for needed in ("skp", "rhk", "iki", "berakhlak", "ekspektasi", "predikat-kinerja",
                   "kurva-distribusi", "angka-kredit", "tpp", "keberatan", "dialog-kinerja",
                   "pejabat-penilai", "atasan-pejabat-penilai", "skpa", "jenjang", "pppk"):
        assert needed in BY_KEY, needed
    html = signed_in(app, "pegawai").get("/kinerja-saya/cara-penilaian").text
    anchors = re.findall(r'href="/glosarium/#([a-z-]+)"', html)
    assert len(anchors) >= 6 and all(key in BY_KEY for key in anchors)
    assert 'href="/glosarium/"' in signed_in(app, "pegawai").get("/").text
