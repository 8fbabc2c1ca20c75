"""The rating form never loses work: a draft is kept on the server while the supervisor types
and is back after signing in again; a refused submit marks and lists every unrated row."""

from __future__ import annotations

import html as markup
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import RatingDraft
from tests.conftest import signed_in
from tests.workflow.helpers import cast_of


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return cast_of(app)


def _keys(page: str) -> list[str]:
    return sorted(set(re.findall(r'name="value-([^"]+)"', page)))


def _checked(page: str, key: str) -> str | None:
    match = re.search(rf'name="value-{re.escape(key)}" value="([^"]+)"\s*checked', page)
    return match.group(1) if match else None


def test_draft_typed_before_the_session_expired_is_back_after_signing_in_again(app, cast):
    url = f"/penilaian/{cast.period}/{cast.subordinate}"
    first = signed_in(app, "penilai")
    keys = _keys(first.get(url).text)
    level_key = next(k for k in keys if k.startswith("indicator:AKUNTABEL"))
    star_key = next(k for k in keys if k == "indicator:DISIPLIN")
    typed = {
        level_key: {"value": "di_bawah_ekspektasi", "comment": "Laporan <terlambat> dua kali"},
        star_key: {"value": "2", "comment": ""},
    }
    response = first.post(f"{url}/draf", json={"values": typed})
    assert response.status_code == 200 and "WIB" in response.get_json()["saved_at"]

    # the session is gone (cookie expired, browser closed): a new sign-in, a new client
    again = signed_in(app, "penilai")
    page = again.get(url).text
    assert 'id="draf-dipulihkan"' in page
    assert _checked(page, level_key) == "di_bawah_ekspektasi"
    assert _checked(page, star_key) == "2"
    assert markup.escape("Laporan <terlambat> dua kali") in page

    # saving the form itself drops the draft
    again.post(url, data={f"value-{level_key}": "di_bawah_ekspektasi", "action": "draft"})
    with app.app_context():
        assert db.session.scalars(select(RatingDraft)).all() == []
    assert 'id="draf-dipulihkan"' not in again.get(url).text


def test_a_draft_keeps_only_the_forms_own_items_and_only_for_own_subordinates(app, cast):
    url = f"/penilaian/{cast.period}/{cast.subordinate}"
    penilai = signed_in(app, "penilai")
    penilai.post(f"{url}/draf", json={"values": {"indicator:TIDAK_ADA": {"value": "x"}}})
    with app.app_context():
        stored = db.session.scalars(select(RatingDraft)).all()
        assert all("indicator:TIDAK_ADA" not in d.values for d in stored)
    stranger = f"/penilaian/{cast.period}/{cast.other_unit_employee}/draf"
    refused = penilai.post(stranger, json={"values": {}}, headers={"Accept": "application/json"})
    assert refused.status_code == 404
    with app.app_context():
        assert not db.session.scalars(
            select(RatingDraft).where(RatingDraft.ratee_id == cast.other_unit_employee)
        ).all()


def test_a_fresh_form_token_is_given_to_the_signed_in_rater(app):
    body = signed_in(app, "penilai").get("/penilaian/token").get_json()
    assert body["csrf_token"]


def test_refused_submit_marks_and_lists_every_unrated_row(app, cast):
    url = f"/penilaian/{cast.period}/{cast.subordinate}"
    penilai = signed_in(app, "penilai")
    keys = _keys(penilai.get(url).text)
    rated = "indicator:AKUNTABEL"
    assert rated in keys
    response = penilai.post(url, data={f"value-{rated}": "sesuai_ekspektasi", "action": "submit"})
    page = response.text
    assert response.status_code == 400
    assert 'id="butir-kosong"' in page
    marked = re.findall(r'class="panel panel-default butir-nilai butir-kosong"', page)
    unrated = len(keys) - 1
    assert len(marked) == unrated
    assert page.count('class="help-block pesan-kosong"') == unrated
    listed = re.search(r'id="butir-kosong".*?</ul>', page, re.S).group(0)
    assert listed.count("<li>") == unrated
    assert _checked(page, rated) == "sesuai_ekspektasi"  # what was typed stays


def test_every_scale_point_has_its_words(app, cast):
    page = signed_in(app, "penilai").get(f"/penilaian/{cast.period}/{cast.subordinate}").text
    for words in (
        "5 – Sangat baik",
        "1 – Sangat kurang",
        "Di Atas Ekspektasi",
        "melampaui ekspektasi yang disepakati",
    ):
        assert words in page
    assert page.count('<label for="komentar-') == len(_keys(page))
