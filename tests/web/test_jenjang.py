"""The jenjang of a jabatan fungsional through every door: the panel form and list, the REST API
and the employee import; a jenjang on any other jabatan is refused with the same message."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.extensions import db
from app.models import Employee, Position, Unit
from tests.conftest import api_token, signed_in

NOT_FUNGSIONAL = "Jenjang hanya untuk jabatan fungsional"


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def places(app):
    """Ids of a fungsional and a pelaksana jabatan, and a unit code and id."""
    with app.app_context():
        kinds = dict(db.session.execute(select(Position.kind, Position.id)).all())
        names = dict(db.session.execute(select(Position.kind, Position.name)).all())
        unit = db.session.scalars(select(Unit).order_by(Unit.id)).first()
        boss = db.session.scalar(select(Employee.id).where(Employee.unit_id == unit.id))
        return {
            "fungsional": kinds["fungsional"],
            "pelaksana": kinds["pelaksana"],
            "boss": boss,
            "fungsional_name": names["fungsional"],
            "pelaksana_name": names["pelaksana"],
            "unit": unit.id,
            "unit_code": unit.code,
        }


def _jenjang_of(app, nip):
    with app.app_context():
        return db.session.scalar(select(Employee.jenjang).where(Employee.nip == nip))


def _exists(app, nip):
    with app.app_context():
        return db.session.scalar(select(Employee.id).where(Employee.nip == nip)) is not None


def _form(places, kind, nip, jenjang):
    return {
        "nip": nip,
        "name": "Pegawai Jenjang",
        "status": "PNS",
        "golongan": "III/a",
        "position": str(places[kind]),
        "unit": str(places["unit"]),
        "jenjang": jenjang,
        "supervisor_nip": "",
        "is_active": "y",
    }


def test_panel_form_keeps_the_jenjang_of_a_fungsional_and_the_list_shows_its_label(app, places):
    hr = signed_in(app, "kepegawaian")
    form = _form(places, "fungsional", "199104052017032001", "ahli_pertama")
    response = hr.post("/employeemodelview/add", data=form)
    assert response.status_code == 302
    assert _jenjang_of(app, "199104052017032001") == "ahli_pertama"
    listed = hr.get("/employeemodelview/list/?_flt_0_nip=199104052017032001").text
    assert "Ahli Pertama" in listed and "Jenjang jabatan fungsional" in listed
    with app.app_context():
        pk = db.session.scalar(select(Employee.id).where(Employee.nip == "199104052017032001"))
    edit = hr.get(f"/employeemodelview/edit/{pk}").text
    assert 'value="ahli_pertama" selected' in edit or 'selected value="ahli_pertama"' in edit


def test_panel_form_refuses_a_jenjang_on_a_pelaksana(app, places):
    hr = signed_in(app, "kepegawaian")
    form = _form(places, "pelaksana", "199104052017032002", "terampil")
    html = hr.post("/employeemodelview/add", data=form).text
    assert NOT_FUNGSIONAL in html
    assert not _exists(app, "199104052017032002")
    empty = hr.post(
        "/employeemodelview/add", data=_form(places, "pelaksana", "199104052017032002", "")
    )
    assert empty.status_code == 302
    assert _exists(app, "199104052017032002") and _jenjang_of(app, "199104052017032002") is None


def test_api_carries_the_jenjang_and_refuses_it_outside_fungsional(app, places):
    headers = api_token(app, "kepegawaian")
    client = app.test_client()
    body = {
        "nip": "199104052017032003",
        "name": "Analis Baru",
        "status": "PNS",
        "golongan": "III/c",
        "position": places["fungsional"],
        "unit": places["unit"],
        "supervisor": places["boss"],
        "jenjang": "ahli_muda",
    }
    created = client.post("/api/v1/employee/", headers=headers, json=body)
    assert created.status_code == 201, created.text
    shown = client.get(f"/api/v1/employee/{created.json['id']}", headers=headers)
    assert shown.status_code == 200, shown.text
    assert shown.json["result"]["jenjang"] == "ahli_muda"

    wrong = client.post(
        "/api/v1/employee/",
        headers=headers,
        json={**body, "nip": "199104052017032004", "position": places["pelaksana"]},
    )
    assert wrong.status_code == 400
    assert NOT_FUNGSIONAL in str(wrong.json["message"]["jenjang"])
    unknown = client.post(
        "/api/v1/employee/",
        headers=headers,
        json={**body, "nip": "199104052017032004", "jenjang": "ahli_super"},
    )
    assert unknown.status_code == 400 and "jenjang" in unknown.json["message"]
    assert not _exists(app, "199104052017032004")

    moved = client.put(
        f"/api/v1/employee/{created.json['id']}",
        headers=headers,
        json={"position": places["pelaksana"]},
    )
    assert moved.status_code == 400
    assert _jenjang_of(app, "199104052017032003") == "ahli_muda"


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["nip", "nama", "status", "golongan", "jabatan", "unit", "jenjang"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _import(app, content):
    return signed_in(app, "kepegawaian").post(
        "/impor-pegawai/",
        data={"file": (io.BytesIO(content), "pegawai.xlsx")},
        content_type="multipart/form-data",
    )


def test_xlsx_import_reads_the_jenjang_column(app, places):
    fungsional, pelaksana, unit = (
        places["fungsional_name"],
        places["pelaksana_name"],
        places["unit_code"],
    )
    refused = _import(
        app,
        _xlsx(
            [
                ["199104052017032005", "Satu", "PNS", "III/a", fungsional, unit, "Ahli Pertama"],
                ["199104052017032006", "Dua", "PNS", "II/c", pelaksana, unit, "Terampil"],
            ]
        ),
    ).text
    assert NOT_FUNGSIONAL in refused and 'id="kesalahan-impor"' in refused
    assert not _exists(app, "199104052017032005")  # all or nothing

    stored = _import(
        app,
        _xlsx(
            [
                ["199104052017032005", "Satu", "PNS", "III/a", fungsional, unit, "Ahli Pertama"],
                ["199104052017032006", "Dua", "PNS", "II/c", pelaksana, unit, None],
            ]
        ),
    ).text
    assert 'id="hasil-impor"' in stored
    assert _jenjang_of(app, "199104052017032005") == "ahli_pertama"
    assert _jenjang_of(app, "199104052017032006") is None


def test_demo_gives_its_fungsional_employees_a_jenjang(app):
    with app.app_context():
        rows = db.session.execute(
            select(Position.kind, Employee.jenjang).join(
                Position, Position.id == Employee.position_id
            )
        ).all()
    assert {j for kind, j in rows if kind == "fungsional"} >= {"ahli_muda", "ahli_pertama"}
    assert all(j is None for kind, j in rows if kind != "fungsional")
