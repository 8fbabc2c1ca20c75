"""Cara penilaian kinerja over HTTP: every employee reads, from the menu, how the published rules
pinned to the period decide levels, the predikat, awards, training, TPP and angka kredit; the page
and its PDF follow the rules when a new version is published and the period re-pinned."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

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
    for needed in (
        "skp",
        "rhk",
        "iki",
        "berakhlak",
        "ekspektasi",
        "predikat-kinerja",
        "kurva-distribusi",
        "angka-kredit",
        "tpp",
        "keberatan",
        "dialog-kinerja",
        "pejabat-penilai",
        "atasan-pejabat-penilai",
        "skpa",
        "jenjang",
        "pppk",
    ):
        assert needed in BY_KEY, needed
    html = signed_in(app, "pegawai").get("/kinerja-saya/cara-penilaian").text
    anchors = re.findall(r'href="/glosarium/#([a-z-]+)"', html)
    assert len(anchors) >= 6 and all(key in BY_KEY for key in anchors)
    assert 'href="/glosarium/"' in signed_in(app, "pegawai").get("/").text


def _guide(client, period_id: int) -> tuple[str, str]:
    """The guide page of a period and its PDF's text."""
    html = client.get(f"/kinerja-saya/cara-penilaian?periode={period_id}").text
    pdf = client.get(f"/kinerja-saya/cara-penilaian.pdf?periode={period_id}")
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    return html, " ".join(text.split())


def test_page_and_pdf_follow_a_repin_and_only_the_repinned_period(app, cast):
    """A new version changes nothing an employee reads until Kepegawaian re-pins the period;
    then the page and the PDF of that period describe the new threshold and award, and a
    period still pinned to the old version keeps describing the old rules."""
    from app.extensions import db
    from app.models import Period, RuleSetVersion
    from app.services.actor import Actor
    from app.services.authoring import ruleset_versions as versions
    from config.roles import PERUMUS

    officer = Actor(user_id=None, username="perumus", roles=frozenset({PERUMUS}))
    award = "Penghargaan Disiplin Teladan Aceh"
    with app.app_context():
        pinned = db.session.get(Period, cast.open_period).ruleset_version
        old = "    - level: sangat_baik\n      when: {score: {gte: 4.5}}\n"
        assert old in pinned.yaml_text and award not in pinned.yaml_text
        text = pinned.yaml_text.replace(old, old.replace("4.5", "4.3")).replace(
            "\nawards:\n",
            "\nawards:\n  - name: disiplin-teladan\n    when: {indicator.DISIPLIN: {gte: 4.8}}\n"
            f"    award: {award}\n",
            1,
        )
        new_id = versions.publish_text(db.session, officer, text, "ambang 4,3 dan penghargaan").id
        assert db.session.get(RuleSetVersion, new_id).status == "published"

    employee = signed_in(app, "pegawai")
    html, pdf = _guide(employee, cast.open_period)
    assert award not in html and award not in pdf  # published, not yet pinned: nothing changes
    assert "paling sedikit 4,5" in html

    hr = signed_in(app, "kepegawaian")
    repinned = hr.post(
        "/aturan-periode/",
        data={
            "period_id": str(cast.open_period),
            "version_id": str(new_id),
            "reason": "Aturan baru diterbitkan",
        },
    )
    assert repinned.status_code == 302
    with app.app_context():
        assert db.session.get(Period, cast.open_period).ruleset_version_id == new_id

    html, pdf = _guide(employee, cast.open_period)
    assert award in html and award in pdf
    tables = re.findall(r'id="tingkat-\d+".*?</table>', html, re.S)
    lokal = next(table for table in tables if "Perlu Pembinaan" in table)
    assert "paling sedikit 4,3" in lokal and "paling sedikit 4,5" not in lokal
    assert "4,3" in pdf
    closed_html, closed_pdf = _guide(employee, cast.closed_period)
    assert award not in closed_html and award not in closed_pdf  # still the old version's rules
