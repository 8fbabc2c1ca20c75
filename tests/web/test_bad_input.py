"""Bad input in forms and the API: an Indonesian message on the field, HTTP 400, nothing saved."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Employee, Unit
from tests.conftest import login


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _chain(app):
    """A head, one of its subordinates and that subordinate's subordinate."""
    with app.app_context():
        kasi = db.session.scalars(
            select(Employee).where(Employee.subordinates.any(), Employee.supervisor.has())
        ).first()
        return kasi.supervisor_id, kasi.id, kasi.subordinates[0].id, kasi.position_id, kasi.unit_id


def _form(position: int, unit: int, **fields) -> dict:
    data = {
        "nip": "199001012015011001",
        "name": "Pegawai Uji",
        "status": "PNS",
        "golongan": "III/a",
        "position": str(position),
        "unit": str(unit),
        "supervisor_nip": "",
        "is_active": "y",
    }
    data.update(fields)
    return data


@pytest.fixture()
def hr(demo_app):
    client = demo_app.test_client()
    login(client, "kepegawaian")
    return client


@pytest.fixture()
def hr_token(demo_app):
    from app.cli.demo import DEMO_PASSWORD

    response = demo_app.test_client().post(
        "/api/v1/security/login",
        json={"username": "kepegawaian", "password": DEMO_PASSWORD, "provider": "db"},
    )
    return {"Authorization": f"Bearer {response.json['access_token']}"}


@pytest.mark.parametrize(
    ("nip", "message"),
    [("12345", "NIP harus terdiri atas 18 angka."), ("198602302015051001", "bukan tanggal")],
)
def test_invalid_nip_in_form_shows_message_and_keeps_input(demo_app, hr, nip, message):
    _, _, _, position, unit = _chain(demo_app)
    before = _count(demo_app, Employee)
    html = hr.post("/employeemodelview/add", data=_form(position, unit, nip=nip)).get_data(
        as_text=True
    )
    assert message in html
    assert 'value="Pegawai Uji"' in html  # what the user typed is still there
    assert _count(demo_app, Employee) == before


def test_duplicate_nip_in_form(demo_app, hr):
    _, kasi, _, position, unit = _chain(demo_app)
    with demo_app.app_context():
        taken = db.session.get(Employee, kasi).nip
    before = _count(demo_app, Employee)
    html = hr.post("/employeemodelview/add", data=_form(position, unit, nip=taken)).get_data(
        as_text=True
    )
    assert "sudah terdaftar" in html
    assert _count(demo_app, Employee) == before


def test_supervisor_cycle_in_form_is_refused(demo_app, hr):
    head, kasi, staff, position, unit = _chain(demo_app)
    with demo_app.app_context():
        kasi_row = db.session.get(Employee, kasi)
        data = _form(
            position,
            unit,
            nip=kasi_row.nip,
            name=kasi_row.name,
            golongan=kasi_row.golongan,
            supervisor_nip=db.session.get(Employee, staff).nip,
        )
    html = hr.post(f"/employeemodelview/edit/{kasi}", data=data).get_data(as_text=True)
    assert "lingkaran" in html
    with demo_app.app_context():
        assert db.session.get(Employee, kasi).supervisor_id == head


def test_unknown_supervisor_nip_in_form(demo_app, hr):
    _, _, _, position, unit = _chain(demo_app)
    before = _count(demo_app, Employee)
    html = hr.post(
        "/employeemodelview/add", data=_form(position, unit, supervisor_nip="199001012015011999")
    ).get_data(as_text=True)
    assert "Tidak ada pegawai dengan NIP 199001012015011999" in html
    assert _count(demo_app, Employee) == before


def test_employee_added_with_supervisor_by_nip(demo_app, hr):
    head, kasi, _, position, unit = _chain(demo_app)
    with demo_app.app_context():
        boss_nip = db.session.get(Employee, kasi).nip
    response = hr.post(
        "/employeemodelview/add",
        data=_form(
            position, unit, nip="199203042016021003", name="Baru Masuk", supervisor_nip=boss_nip
        ),
    )
    assert response.status_code == 302
    with demo_app.app_context():
        added = db.session.scalars(
            select(Employee).where(Employee.nip == "199203042016021003")
        ).one()
        assert added.supervisor_id == kasi
        edit = hr.get(f"/employeemodelview/edit/{added.id}").get_data(as_text=True)
        assert boss_nip in edit


def test_unit_cannot_become_its_own_ancestor_in_form(demo_app, hr):
    with demo_app.app_context():
        child = db.session.scalars(select(Unit).where(Unit.parent_id.is_not(None))).first()
        parent_id, child_id, code, name = child.parent_id, child.id, child.code, child.name
    html = hr.post(
        f"/unitmodelview/edit/{parent_id}",
        data={"code": "X" + code, "name": name, "parent": str(child_id), "is_active": "y"},
    ).get_data(as_text=True)
    assert "Unit induk tidak boleh" in html
    with demo_app.app_context():
        assert db.session.get(Unit, parent_id).parent_id is None


def test_api_invalid_nip_is_400_with_the_field(demo_app, hr_token):
    _, _, _, position, unit = _chain(demo_app)
    before = _count(demo_app, Employee)
    response = demo_app.test_client().post(
        "/api/v1/employee/",
        headers=hr_token,
        json={
            "nip": "123",
            "name": "X",
            "status": "PNS",
            "golongan": "III/a",
            "position": position,
            "unit": unit,
        },
    )
    assert response.status_code == 400
    assert response.json["message"]["nip"] == ["NIP harus terdiri atas 18 angka."]
    assert _count(demo_app, Employee) == before


def test_api_wrong_golongan_for_status_is_400(demo_app, hr_token):
    _, _, _, position, unit = _chain(demo_app)
    response = demo_app.test_client().post(
        "/api/v1/employee/",
        headers=hr_token,
        json={
            "nip": "199001012015011002",
            "name": "X",
            "status": "PPPK",
            "golongan": "III/a",
            "position": position,
            "unit": unit,
        },
    )
    assert response.status_code == 400
    assert "golongan" in response.json["message"]


def test_api_supervisor_cycle_is_400_and_nothing_changes(demo_app, hr_token):
    head, kasi, staff, _, _ = _chain(demo_app)
    response = demo_app.test_client().put(
        f"/api/v1/employee/{kasi}", headers=hr_token, json={"supervisor": staff}
    )
    assert response.status_code == 400
    assert "supervisor" in response.json["message"]
    with demo_app.app_context():
        assert db.session.get(Employee, kasi).supervisor_id == head


def test_api_unit_cycle_is_400(demo_app, hr_token):
    with demo_app.app_context():
        child = db.session.scalars(select(Unit).where(Unit.parent_id.is_not(None))).first()
        parent_id, child_id = child.parent_id, child.id
    response = demo_app.test_client().put(
        f"/api/v1/unit/{parent_id}", headers=hr_token, json={"parent": child_id}
    )
    assert response.status_code == 400
    assert "parent" in response.json["message"]


def test_api_supervisor_sees_only_own_people(demo_app):
    from app.cli.demo import DEMO_PASSWORD

    client = demo_app.test_client()
    token = client.post(
        "/api/v1/security/login",
        json={"username": "penilai", "password": DEMO_PASSWORD, "provider": "db"},
    ).json["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/employee/?q=(page_size:100)", headers=headers).json
    assert 1 < listed["count"] <= 8
    with demo_app.app_context():
        outsider = (
            db.session.scalars(select(Employee).where(Employee.supervisor_id.is_(None))).first().id
        )
    assert client.get(f"/api/v1/employee/{outsider}", headers=headers).status_code == 404
    assert client.post("/api/v1/employee/", headers=headers, json={}).status_code == 403
