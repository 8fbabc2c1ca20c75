"""A supervisor rates a subordinate through the real pages; the engine decides at once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.domain.enums import EKSPEKTASI_LEVELS
from app.extensions import db
from app.models import AuditLog, Evaluation, Rating, Skp
from tests.conftest import api_token, signed_in
from tests.workflow.helpers import cast_of

ATAS = EKSPEKTASI_LEVELS[2]


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return cast_of(app)


def _approved_skp(app, cast) -> int:
    """The subordinate drafts two RHK and submits; the supervisor approves (once per module)."""
    with app.app_context():
        skp = db.session.scalar(
            select(Skp).where(Skp.period_id == cast.period, Skp.employee_id == cast.subordinate)
        )
        if skp is not None and skp.state == "approved":
            return skp.id
    pegawai = signed_in(app, "pegawai")
    assert pegawai.get(f"/skp/saya/{cast.period}").status_code == 200
    with app.app_context():
        skp_id = db.session.scalar(
            select(Skp.id).where(Skp.period_id == cast.period, Skp.employee_id == cast.subordinate)
        )
    for text, kind in (("Laporan kinerja tepat waktu", "utama"), ("Data kepegawaian", "utama")):
        pegawai.post(
            f"/skp/{skp_id}/rhk",
            data={"text": text, "iki": "Persentase", "target": "100%", "kind": kind},
        )
    pegawai.post(f"/skp/{skp_id}/ajukan")
    penilai = signed_in(app, "penilai")
    penilai.post(f"/skp/{skp_id}/tinjau", data={"decision": "approve"})
    with app.app_context():
        assert db.session.get(Skp, skp_id).state == "approved"
    return skp_id


def _form_fields(html: str) -> list[str]:
    return sorted(set(re.findall(r'name="value-([^"]+)"', html)))


def _all_values(html: str, level: str = ATAS, stars: str = "5") -> dict[str, str]:
    data = {}
    for key in _form_fields(html):
        options = re.findall(rf'name="value-{re.escape(key)}" value="([^"]+)"', html)
        data[f"value-{key}"] = level if level in options else stars
    return data


def test_returned_skp_needs_a_comment_and_approved_skp_generates_rhk_items(app, cast):
    _approved_skp(app, cast)
    html = (
        signed_in(app, "penilai")
        .get(f"/penilaian/{cast.period}/{cast.subordinate}")
        .get_data(as_text=True)
    )
    fields = _form_fields(html)
    assert sum(key.startswith("rhk:") for key in fields) == 2
    assert "indicator:AKUNTABEL" in fields and "indicator:KOLABORATIF" in fields


def test_supervisor_rates_subordinate_and_sees_predicate_and_explanation(app, cast):
    _approved_skp(app, cast)
    penilai = signed_in(app, "penilai")
    url = f"/penilaian/{cast.period}/{cast.subordinate}"
    values = _all_values(penilai.get(url).get_data(as_text=True))
    draft = penilai.post(url, data={**values, "action": "draft"})
    assert draft.status_code == 302
    with app.app_context():
        states = set(
            db.session.scalars(
                select(Rating.state).where(
                    Rating.period_id == cast.period, Rating.ratee_id == cast.subordinate
                )
            )
        )
    assert states == {"draft"}
    submitted = penilai.post(url, data={**values, "action": "submit"}, follow_redirects=True)
    html = submitted.get_data(as_text=True)
    assert submitted.status_code == 200
    assert "Sangat Baik" in html  # every RHK and behaviour above expectation: the top cell
    assert 'id="penjelasan"' in html
    with app.app_context():
        evaluation = db.session.scalar(
            select(Evaluation).where(
                Evaluation.period_id == cast.period, Evaluation.employee_id == cast.subordinate
            )
        )
        assert evaluation.predicate == "sangat_baik"
        assert evaluation.result["fired"]
        assert evaluation.ruleset_version_id is not None


def test_employee_sees_own_result_over_the_api(app, cast):
    headers = api_token(app, "pegawai")
    listed = app.test_client().get("/api/v1/evaluation/?q=(page_size:100)", headers=headers).json
    assert {row["employee"]["id"] for row in listed["result"]} <= {cast.subordinate}


def test_value_outside_the_scale_is_400_and_nothing_stored(app, cast):
    _approved_skp(app, cast)
    headers = api_token(app, "penilai")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Rating))
    response = app.test_client().post(
        "/api/v1/rating/",
        headers=headers,
        json={
            "period": cast.period,
            "ratee": cast.subordinate,
            "indicator": "AKUNTABEL",
            "value": "luar_biasa",
        },
    )
    assert response.status_code == 400
    assert "harus salah satu dari" in str(response.json["message"])
    response = app.test_client().post(
        "/api/v1/rating/",
        headers=headers,
        json={
            "period": cast.period,
            "ratee": cast.subordinate,
            "indicator": "KUALITAS_KERJA",
            "value": 7,
        },
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Rating)) == before


def test_indicator_that_does_not_apply_is_400(app, cast):
    headers = api_token(app, "penilai")
    response = app.test_client().post(
        "/api/v1/rating/",
        headers=headers,
        json={
            "period": cast.period,
            "ratee": cast.subordinate,
            "indicator": "TIDAK_ADA",
            "value": ATAS,
        },
    )
    assert response.status_code == 400


def test_supervisor_cannot_rate_other_units_employee(app, cast):
    headers = api_token(app, "penilai")
    response = app.test_client().post(
        "/api/v1/rating/",
        headers=headers,
        json={
            "period": cast.period,
            "ratee": cast.other_unit_employee,
            "indicator": "AKUNTABEL",
            "value": ATAS,
        },
    )
    assert response.status_code == 404
    page = signed_in(app, "penilai").get(f"/penilaian/{cast.period}/{cast.other_unit_employee}")
    assert page.status_code == 404
    assert "tidak ditemukan" in page.get_data(as_text=True)


def test_hr_may_see_but_not_rate(app, cast):
    headers = api_token(app, "kepegawaian")
    response = app.test_client().post(
        "/api/v1/rating/",
        headers=headers,
        json={
            "period": cast.period,
            "ratee": cast.subordinate,
            "indicator": "AKUNTABEL",
            "value": ATAS,
        },
    )
    assert response.status_code == 403


def test_two_tabs_the_second_save_is_409_not_a_silent_overwrite(app, cast):
    _approved_skp(app, cast)
    headers = api_token(app, "penilai")
    client = app.test_client()
    with app.app_context():
        rating = db.session.scalar(
            select(Rating).where(
                Rating.period_id == cast.period,
                Rating.ratee_id == cast.subordinate,
                Rating.rater_kind == "supervisor",
                Rating.indicator.has(code="ADAPTIF"),
            )
        )
        rating_id, version = rating.id, rating.lock_version
    first = client.put(
        f"/api/v1/rating/{rating_id}",
        headers=headers,
        json={"value": "sesuai_ekspektasi", "lock_version": version},
    )
    assert first.status_code == 200, first.json
    second = client.put(
        f"/api/v1/rating/{rating_id}",
        headers=headers,
        json={"value": "di_bawah_ekspektasi", "lock_version": version},
    )
    assert second.status_code == 409
    with app.app_context():
        assert db.session.get(Rating, rating_id).value_level == "sesuai_ekspektasi"


def test_rating_changes_are_audited(app, cast):
    with app.app_context():
        actions = set(db.session.scalars(select(AuditLog.action)))
    assert {"nilai.simpan", "nilai.ajukan", "skp.ajukan", "skp.setujui"} <= actions
    admin = signed_in(app, "admin")
    page = admin.get("/auditlogmodelview/list/?_flt_0_action=nilai.simpan").get_data(as_text=True)
    cells = [c.strip() for c in re.findall(r"<td>(.*?)</td>", page, re.S)]
    assert "Menyimpan penilaian" in cells and "nilai.simpan" not in cells  # in words
