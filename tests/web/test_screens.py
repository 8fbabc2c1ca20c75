"""Screens a civil servant can read: bounded list pages, pickers that find only whom the viewer
may see, and refusals as Indonesian pages with a way forward."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Employee
from tests.conftest import signed_in
from tests.web.people import people


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return people(app)


def _count(html: str) -> int:
    return int(re.search(r"Jumlah data:\s*</?\w*>?\s*([\d.]+)", html).group(1).replace(".", ""))


def test_list_page_size_above_100_is_clamped(app):
    client = signed_in(app, "kepegawaian")
    html = client.get(
        "/ratingmodelview/list/?psize_RatingModelView=100000", follow_redirects=True
    ).text  # sent to the open period first
    shown = html.count('href="/ratingmodelview/show/')
    assert _count(html) > 100
    assert shown == 100
    small = client.get(
        "/ratingmodelview/list/?psize_RatingModelView=10", follow_redirects=True
    ).text
    assert small.count('href="/ratingmodelview/show/') == 10


def test_a_typed_in_page_size_is_a_400_page_not_a_server_error(app):
    response = signed_in(app, "kepegawaian").get(
        "/ratingmodelview/list/?psize_RatingModelView=x", follow_redirects=True
    )
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.text
    assert 'lang="id"' in response.text


def _names(client, term: str) -> list[str]:
    response = client.get(f"/cari/pegawai?q={term}")
    assert response.status_code == 200
    return [hit["text"] for hit in response.get_json()["results"]]


def test_pegawai_searching_finds_only_themselves(app, cast):
    with app.app_context():
        me = db.session.get(Employee, cast.pegawai)
        stranger = db.session.get(Employee, cast.stranger)
        colleague = db.session.get(Employee, cast.colleague)
        mine, strangers, colleagues = me.name, stranger.name, colleague.name
        nip_prefix = stranger.nip[:6]
    client = signed_in(app, "pegawai")
    assert _names(client, mine.split()[0]) == [
        n for n in _names(client, mine.split()[0]) if n.startswith(mine)
    ]
    assert all(n.startswith(mine) for n in _names(client, nip_prefix))
    assert not any(strangers in n or colleagues in n for n in _names(client, strangers[:4]))
    assert not any(colleagues in n for n in _names(client, colleagues[:4]))
    assert _names(client, "a") == []  # at least two characters


def test_supervisor_finds_own_subordinates_but_not_other_units(app, cast):
    with app.app_context():
        colleague = db.session.get(Employee, cast.colleague)
        stranger = db.session.get(Employee, cast.stranger)
        subordinate, outsider = colleague.name, stranger.name
    client = signed_in(app, "penilai")
    assert any(n.startswith(subordinate) for n in _names(client, subordinate))
    assert not any(n.startswith(outsider) for n in _names(client, outsider))


def test_kepegawaian_finds_anyone_by_nip_prefix(app, cast):
    with app.app_context():
        stranger = db.session.get(Employee, cast.stranger)
        expected = f"{stranger.name} ({stranger.nip})"
        nip = stranger.nip
    assert expected in _names(signed_in(app, "kepegawaian"), nip[:12])


def test_unit_picker_of_a_pegawai_offers_only_their_own_unit(app, cast):
    with app.app_context():
        me = db.session.get(Employee, cast.pegawai)
        own_unit = me.unit.name
        others = (
            db.session.scalars(select(Employee).where(Employee.unit_id != me.unit_id))
            .first()
            .unit.name
        )
    client = signed_in(app, "pegawai")
    found = [u["text"] for u in client.get("/cari/unit?q=Bidang").get_json()["results"]]
    assert others not in found
    assert set(found) <= {own_unit}


def test_filter_pages_embed_no_employee_list(app):
    """The rating and evaluation lists' filter bars carry no option per employee."""
    client = signed_in(app, "kepegawaian")
    with app.app_context():
        employees = db.session.scalar(select(db.func.count()).select_from(Employee))
    for path in ("/ratingmodelview/list/", "/evaluationmodelview/list/"):
        html = client.get(path, follow_redirects=True).text
        html = html.replace("\\u003c", "<").replace('\\"', '"')
        assert html.count("<option value=") < employees / 2, path
        assert "kinerja-typeahead" in html


@pytest.mark.parametrize(
    ("method", "path", "status", "words"),
    [
        ("get", "/tidak-ada/", 404, "Halaman tidak ditemukan"),
        ("get", "/periode/999999", 404, "Periode tidak ditemukan"),
        ("get", "/penilaian/1/1/pratinjau", 405, "Cara membuka halaman tidak sesuai"),
    ],
)
def test_refusals_are_indonesian_pages_with_a_way_forward(app, method, path, status, words):
    response = getattr(signed_in(app, "kepegawaian"), method)(path)
    assert response.status_code == status
    html = response.text
    assert words in html
    assert "Ke Beranda" in html and 'lang="id"' in html
    assert "Not Found" not in html and "Method Not Allowed" not in html


def test_api_refusals_stay_json(app):
    response = signed_in(app, "kepegawaian").get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.get_json()["message"]


def test_form_field_errors_are_indonesian(app):
    client = signed_in(app, "kepegawaian")
    response = client.post(
        "/periode/tambah",
        data={"name": "Uji tanggal", "kind": "bulanan", "start_date": "31-31-2026", "end_date": ""},
    )
    html = response.text
    assert "Not a valid date value" not in html and "This field is required" not in html
    assert "Tanggal mulai wajib diisi dengan format dd/mm/yyyy" in html


def test_audit_log_is_in_words_filtered_by_wib_day_and_actor_and_exported(app):
    from io import BytesIO

    from openpyxl import load_workbook

    from app.domain.wording import to_wib
    from app.models import AuditLog

    with app.app_context():
        entry = db.session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
        day = to_wib(entry.at).date()
        actor = entry.username
    admin = signed_in(app, "admin")
    page = admin.get("/auditlogmodelview/list/").text
    assert "WIB" in page and entry.action not in page
    one_day = f"_flt_0_at={day:%Y-%m-%d}&_flt_1_at={day:%Y-%m-%d}&_flt_0_username={actor}"
    listed = admin.get(f"/auditlogmodelview/list/?{one_day}").text
    assert actor in listed
    other_day = admin.get("/auditlogmodelview/list/?_flt_0_at=2001-01-01&_flt_1_at=2001-01-01")
    assert "Data tidak ditemukan" in other_day.text
    sheet = admin.get(f"/auditlogmodelview/excel?{one_day}")
    assert sheet.status_code == 200
    rows = list(load_workbook(BytesIO(sheet.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Waktu (WIB)"
    assert len(rows) > 1 and all(row[1] == actor for row in rows[1:])
    assert all("WIB" in row[0] and "." not in row[2] for row in rows[1:])
    bad_day = admin.get("/auditlogmodelview/list/?_flt_0_at=31-31-2026")
    assert bad_day.status_code == 400 and "Tanggal" in bad_day.text
