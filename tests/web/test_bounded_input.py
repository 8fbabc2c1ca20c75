"""Bounded input over HTTP: texts beyond their column's bound, oversize uploads, malformed
parameters, redirect targets and file names are refused (or cleaned) with an Indonesian
message, never a 500, and nothing is stored on a refusal."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Indicator, Rating, Realisation, Rhk, RuleSetVersion, Skp, Unit
from app.services.actor import Actor
from app.services.appraisal.evidence import clean_filename
from app.services.authoring import ruleset_versions as versions
from config.roles import PERUMUS
from tests.conftest import api_token, build_app, seed_demo, signed_in
from tests.databases import fresh_database
from tests.web.people import approved_rhk, people


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- lengths ----------------------------------------------------------------------------------


def test_api_unit_name_beyond_its_column_is_400_and_nothing_stored(app):
    before = _count(app, Unit)
    response = app.test_client().post(
        "/api/v1/unit/",
        json={"code": "PANJANG", "name": "N" * 201},
        headers=api_token(app, "kepegawaian"),
    )
    assert response.status_code == 400
    assert "name" in response.json["message"]
    assert _count(app, Unit) == before


def test_api_indicator_description_beyond_its_bound_is_refused(app):
    headers = api_token(app, "perumus")
    with app.app_context():
        indicator = db.session.scalars(select(Indicator).order_by(Indicator.id)).first()
        indicator_id, description = indicator.id, indicator.description
    response = app.test_client().put(
        f"/api/v1/indicator/{indicator_id}", json={"description": "x" * 2001}, headers=headers
    )
    assert response.status_code == 400
    assert "terlalu panjang" in str(response.json["message"])
    with app.app_context():
        assert db.session.get(Indicator, indicator_id).description == description


def test_rating_comment_beyond_its_bound_is_refused_with_a_message(app):
    penilai = signed_in(app, "penilai")
    url = re.search(r'href="(/penilaian/\d+/\d+)"', penilai.get("/penilaian/tim/").text).group(1)
    html = penilai.get(url).text
    key = re.findall(r'name="value-(indicator:[^"]+)"', html)[0]
    option = re.findall(rf'name="value-{re.escape(key)}" value="([^"]+)"', html)[0]
    before = _count(app, Rating)
    response = penilai.post(
        url, data={"action": "draft", f"value-{key}": option, f"comment-{key}": "k" * 2001}
    )
    assert response.status_code == 400
    assert "Umpan balik terlalu panjang" in response.text and "paling banyak 2.000" in response.text
    assert _count(app, Rating) == before


def test_rhk_text_beyond_its_bound_is_refused(app):
    cast = people(app)
    approved_rhk(app, cast.pegawai, cast.open_period)  # the SKP the other tests share
    pegawai = signed_in(app, "pegawai")
    with app.app_context():
        skp = db.session.scalar(
            select(Skp).where(Skp.period_id == cast.open_period, Skp.employee_id == cast.pegawai)
        )
        skp_id, state = skp.id, skp.state
        skp.state = "draft"  # for this test only: RHK are added to a draft
        db.session.commit()
    before = _count(app, Rhk)
    try:
        form = {"text": "r" * 1001, "iki": "Persentase", "target": "100%", "kind": "utama"}
        response = pegawai.post(f"/skp/{skp_id}/rhk", follow_redirects=True, data=form)
    finally:
        with app.app_context():
            db.session.get(Skp, skp_id).state = state
            db.session.commit()
    assert "Rencana hasil kerja terlalu panjang" in response.text
    assert _count(app, Rhk) == before


# --- the ruleset diff ------------------------------------------------------------------------


def test_two_long_lines_are_diffed_linearly_over_http(app):
    left = "name: panjang\n# " + "a" * 10_000 + "\n"
    right = "name: panjang\n# " + "a" * 5_000 + "b" + "a" * 4_999 + "\n"
    with app.app_context():
        officer = Actor(user_id=None, username="perumus", roles=frozenset({PERUMUS}))
        a = versions.create_draft(db.session, officer, left).id
        b = versions.create_draft(db.session, officer, right, parent_id=a).id
    page = signed_in(app, "perumus").get(f"/aturan/banding?a={a}&b={b}")
    assert page.status_code == 200
    # beyond the bound a line is split once: common start, changed middle, common end
    lhs, rhs = versions.changed_spans(left.splitlines()[1], right.splitlines()[1])
    assert [changed for _, changed in lhs] == [False, True, False]
    assert rhs[1] == ("b", True) and len(versions.MAX_INLINE_DIFF * "x") < 10_000
    assert page.text.count("<ins>") <= 2


def test_repeated_lines_beyond_the_work_bound_make_one_replaced_block():
    left = "\n".join(["  - sama"] * 2_000)
    right = "\n".join(["  - lain" if i % 2 else "  - sama" for i in range(2_000)])
    assert versions._matching_work(left.splitlines(), right.splitlines()) > versions.MAX_MATCH_WORK
    rows = versions.diff_rows(left, right)
    assert len(rows) == 2_000
    assert {row.kind for row in rows} <= {"replace", "equal"}


# --- malformed parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/employeemodelview/list/?_oc_EmployeeModelView=name;x&_od_EmployeeModelView=asc",
        "/employeemodelview/list/?_oc_EmployeeModelView=nip&_od_EmployeeModelView=sideways",
        "/employeemodelview/list/?page_EmployeeModelView=abc",
        "/employeemodelview/list/?psize_EmployeeModelView=1e3",
        "/employeemodelview/list/?_oc_NoSuchView=name",
    ],
)
def test_malformed_list_parameters_are_400_in_indonesian(app, path):
    response = signed_in(app, "kepegawaian").get(path)
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.text


def test_unknown_panel_action_is_400(app):
    response = signed_in(app, "kepegawaian").post(
        "/employeemodelview/action_post", data={"action": "tidak_ada", "rowid": "1"}
    )
    assert response.status_code == 400 and "Tindakan tidak dikenal" in response.text


@pytest.mark.parametrize("path", ["/laporan/pdf/abc/1", "/aturan/abc/unduh"])
def test_non_numeric_ids_are_404(app, path):
    assert signed_in(app, "kepegawaian").get(path).status_code == 404


def test_indicator_with_a_scale_outside_the_vocabulary_is_400_on_the_field(app):
    before = _count(app, Indicator)
    body = {"code": "SKALA_X", "label": "x", "aspect": "kinerja_lokal", "scale": "xyz"}
    response = app.test_client().post(
        "/api/v1/indicator/", headers=api_token(app, "admin"), json=body
    )
    assert response.status_code == 400
    assert response.json["message"] == {"scale": ["Nilai tidak termasuk pilihan yang berlaku."]}
    assert _count(app, Indicator) == before


def test_duplicate_code_is_409_without_sql(app):
    with app.app_context():
        code = db.session.scalars(select(Indicator.code)).first()
    body = {"code": code, "label": "x", "aspect": "kinerja_lokal", "scale": "bintang"}
    response = app.test_client().post(
        "/api/v1/indicator/", headers=api_token(app, "admin"), json=body
    )
    assert response.status_code == 409
    assert "INSERT" not in response.text and "UNIQUE" not in response.text.upper()


@pytest.mark.parametrize(
    "query",
    [
        "(filters:!((col:supervisor,opr:rel_o_m,value:abc)))",
        "(filters:!((col:nip,opr:eq,value:!(1,2))))",
        "(order_column:'name;x',order_direction:asc)",
        "(page:abc)",
    ],
)
def test_malformed_api_queries_are_answered_without_a_server_error(app, query):
    response = app.test_client().get(
        f"/api/v1/employee/?q={query}", headers=api_token(app, "kepegawaian")
    )
    assert response.status_code in (200, 400)


def _own_rating(app) -> tuple[int, int]:
    """A rating of `penilai` in the open period (made through the form when missing)."""
    cast = people(app)
    with app.app_context():
        rating = db.session.scalars(
            select(Rating).where(
                Rating.rater_id == cast.penilai, Rating.period_id == cast.open_period
            )
        ).first()
        if rating is not None:
            return rating.id, rating.lock_version
    penilai = signed_in(app, "penilai")
    html = penilai.get(f"/penilaian/{cast.open_period}/{cast.pegawai}").text
    key = re.findall(r'name="value-(indicator:[^"]+)"', html)[0]
    option = re.findall(rf'name="value-{re.escape(key)}" value="([^"]+)"', html)[0]
    penilai.post(
        f"/penilaian/{cast.open_period}/{cast.pegawai}",
        data={"action": "draft", f"value-{key}": option},
    )
    return _own_rating(app)


@pytest.mark.parametrize(("lock_version", "status"), [(None, 428), ("abc", 400), (True, 400)])
def test_rating_put_needs_a_whole_lock_version(app, lock_version, status):
    rating_id, _version = _own_rating(app)
    body = {"value": "sesuai_ekspektasi"}
    if lock_version is not None:
        body["lock_version"] = lock_version
    response = app.test_client().put(
        f"/api/v1/rating/{rating_id}", json=body, headers=api_token(app, "penilai")
    )
    assert response.status_code == status
    assert "lock_version" in str(response.json["message"])


def test_rating_put_with_its_lock_version_saves(app):
    rating_id, version = _own_rating(app)
    body = {"value": "di_atas_ekspektasi", "lock_version": version}
    response = app.test_client().put(
        f"/api/v1/rating/{rating_id}", json=body, headers=api_token(app, "penilai")
    )
    assert response.status_code == 200, response.json


# --- redirects and file names ----------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
        "/\n/evil.example",
    ],
)
def test_next_must_be_a_same_site_path(app, target):
    response = _record_realisation(app, target)
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
    assert response.headers["Location"].endswith("/kinerja-saya/")


def test_a_same_site_next_is_followed(app):
    response = _record_realisation(app, "/laporan/?a=1")
    assert response.headers["Location"].endswith("/laporan/?a=1")


def _record_realisation(app, target: str):  # noqa: ANN202
    cast = people(app)
    rhk = approved_rhk(app, cast.pegawai, cast.open_period)
    return signed_in(app, "pegawai").post(
        "/kinerja-saya/realisasi",
        data={"rhk_id": rhk[0], "month": "2026-11", "text": "Rekap", "next": target},
    )


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("foto\u202egpj.exe", "fotogpj.exe"),
        ("lap\u200foran\u2066.pdf", "laporan.pdf"),
        ("nota\x07 akhir.pdf", "nota akhir.pdf"),
        ("Cafe\u0301.pdf", "Café.pdf"),
    ],
)
def test_file_names_lose_control_and_bidi_characters(given, kept):
    assert clean_filename(given) == kept


def test_uploaded_evidence_keeps_the_cleaned_name(app, tmp_path):
    app.config["KINERJA_EVIDENCE_DIR"] = str(tmp_path)
    cast = people(app)
    rhk = approved_rhk(app, cast.pegawai, cast.open_period)
    client = signed_in(app, "pegawai")
    client.post(
        "/kinerja-saya/realisasi", data={"rhk_id": rhk[0], "month": "2026-11", "text": "Rekap"}
    )
    with app.app_context():
        entry = db.session.scalar(select(Realisation.id).where(Realisation.rhk_id == rhk[0]))
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    client.post(
        f"/kinerja-saya/realisasi/{entry}/bukti",
        data={"file": (io.BytesIO(pdf), "bukti\u202efdp.exe.pdf")},
        content_type="multipart/form-data",
    )
    with app.app_context():
        from app.models import Evidence

        names = list(
            db.session.scalars(
                select(Evidence.original_name).where(Evidence.realisation_id == entry)
            )
        )
    assert "buktifdp.exe.pdf" in names
    assert not any("\u202e" in name for name in names)


# --- oversize uploads ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def csrf_app(backend, tmp_path_factory):
    """An app with CSRF protection on, as in production: the upload size is found while the
    protection reads the form."""
    with fresh_database(backend, tmp_path_factory.mktemp("csrf")) as url:
        csrf = build_app(
            url,
            WTF_CSRF_ENABLED=True,
            PROPAGATE_EXCEPTIONS=False,
            KINERJA_MAX_UPLOAD_BYTES=1024 * 1024,
            MAX_CONTENT_LENGTH=1024 * 1024 + 64 * 1024,
        )
        seed_demo(csrf)
        yield csrf
        with csrf.app_context():
            db.session.remove()
            db.engine.dispose()


def _csrf_login(client, username: str) -> str:
    from app.cli.demo import DEMO_PASSWORD

    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login/").text
    ).group(1)
    client.post(
        "/login/", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    return token


def test_upload_over_the_limit_is_413_in_indonesian(csrf_app):
    client = csrf_app.test_client()
    token = _csrf_login(client, "kepegawaian")
    response = client.post(
        "/impor-pegawai/",
        data={"file": (io.BytesIO(b"x" * (2 * 1024 * 1024)), "besar.csv"), "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 413
    assert "Berkas terlalu besar: batasnya 1 MB" in response.text
    public = csrf_app.test_client().post("/publik/unit/BKA", data={"comment": "x" * 2_000_000})
    assert public.status_code == 413


def test_ruleset_version_rows_are_untouched_by_refusals(app):
    """A guard for the tests above: the diff drafts are the only versions they add."""
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(RuleSetVersion)) >= 1


@pytest.mark.parametrize(
    "query",
    ["_flt_0_unit=abc", "_flt_0_position=1;x", "_flt_0_is_active=maybe", "_flt_0_golongan=%00"],
)
def test_panel_filters_of_the_wrong_type_are_answered_without_a_server_error(app, query):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = signed_in(app, "kepegawaian").get(f"/employeemodelview/list/?{query}")
    finally:
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code < 500


def test_nul_characters_are_refused_everywhere_and_nothing_stored(app):
    before = _count(app, Unit)
    api = app.test_client().post(
        "/api/v1/unit/",
        json={"code": "NUL", "name": "a\u0000b"},
        headers=api_token(app, "kepegawaian"),
    )
    assert api.status_code == 400 and "NUL" in api.json["message"]
    form = signed_in(app, "kepegawaian").post(
        "/unitmodelview/add", data={"code": "NUL", "name": "a\x00b"}
    )
    assert form.status_code == 400 and "karakter NUL" in form.text
    assert _count(app, Unit) == before
