"""Every write is audited, whatever the path: the panel's generated screens, the REST API and
the command line all leave one entry per action, naming who, what, before and after; a
refused write leaves none."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, Employee, Position, Unit
from tests.conftest import api_token, signed_in


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _last_entry(app) -> AuditLog:
    with app.app_context():
        entry = db.session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
        db.session.expunge(entry)
        return entry


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditLog))


def _subordinate_and_two_bosses(app) -> tuple[int, str, str, str]:
    """An employee without subordinates (so any colleague may become their supervisor without
    a loop), their supervisor's NIP, and the NIP of another employee of the same unit."""
    with app.app_context():
        employee = db.session.scalars(
            select(Employee)
            .where(
                Employee.supervisor_id.is_not(None),
                Employee.user_id.is_(None),
                ~Employee.subordinates.any(),
            )
            .order_by(Employee.id)
        ).first()
        other = db.session.scalars(
            select(Employee)
            .where(
                Employee.unit_id == employee.unit_id,
                Employee.id.not_in([employee.id, employee.supervisor_id]),
            )
            .order_by(Employee.id)
        ).first()
        return employee.id, employee.nip, employee.supervisor.nip, other.nip


def _employee_form(app, employee_id: int, supervisor_nip: str) -> dict[str, str]:
    with app.app_context():
        e = db.session.get(Employee, employee_id)
        form = {
            "nip": e.nip,
            "name": e.name,
            "status": e.status,
            "golongan": e.golongan,
            "position": str(e.position_id),
            "unit": str(e.unit_id),
            "supervisor_nip": supervisor_nip,
            "user": "",
        }
        if e.is_unit_head:
            form["is_unit_head"] = "y"
        if e.is_active:
            form["is_active"] = "y"
        return form


def test_panel_edit_of_a_supervisor_is_audited_with_before_and_after(app):
    employee_id, nip, old_boss, new_boss = _subordinate_and_two_bosses(app)
    client = signed_in(app, "kepegawaian")
    response = client.post(
        f"/employeemodelview/edit/{employee_id}", data=_employee_form(app, employee_id, new_boss)
    )
    assert response.status_code == 302, response.text[:2000]
    entry = _last_entry(app)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "employee.ubah",
        "employee",
        employee_id,
    )
    assert entry.username == "kepegawaian" and entry.user_id is not None
    assert nip in entry.object_label
    assert old_boss in entry.before["supervisor"] and new_boss in entry.after["supervisor"]
    assert entry.before["supervisor_id"] != entry.after["supervisor_id"]
    assert entry.items is None


def test_api_edit_of_a_supervisor_is_audited(app):
    employee_id, _nip, _old, new_boss = _subordinate_and_two_bosses(app)
    with app.app_context():
        boss_id = db.session.scalar(select(Employee.id).where(Employee.nip == new_boss))
        before = db.session.get(Employee, employee_id).supervisor_id
    headers = api_token(app, "kepegawaian")
    response = app.test_client().put(
        f"/api/v1/employee/{employee_id}", json={"supervisor": boss_id}, headers=headers
    )
    assert response.status_code == 200, response.json
    entry = _last_entry(app)
    assert (entry.action, entry.object_id, entry.username) == (
        "employee.ubah",
        employee_id,
        "kepegawaian",
    )
    if before != boss_id:
        assert entry.after["supervisor_id"] == boss_id


def test_cli_edit_of_a_supervisor_is_audited_as_the_command_line(app):
    employee_id, nip, current, other = _subordinate_and_two_bosses(app)
    result = app.test_cli_runner().invoke(args=["kinerja", "employee", "supervisor", nip, other])
    assert result.exit_code == 0, result.output
    entry = _last_entry(app)
    assert entry.action == "pegawai.ubah_atasan" and entry.object_id == employee_id
    assert entry.username.startswith("cli:") and entry.user_id is None
    assert current in entry.before["supervisor"] and other in entry.after["supervisor"]


def test_refused_write_leaves_no_entry(app):
    employee_id, *_ = _subordinate_and_two_bosses(app)
    headers = api_token(app, "kepegawaian")  # signing in is an entry of its own
    count = _count(app)
    response = app.test_client().put(
        f"/api/v1/employee/{employee_id}",
        json={"supervisor": employee_id},
        headers=headers,
    )
    assert response.status_code == 400
    assert _count(app) == count


def test_unit_add_edit_delete_through_the_api_are_three_entries(app):
    headers = api_token(app, "kepegawaian")
    client = app.test_client()
    created = client.post(
        "/api/v1/unit/", json={"code": "AUDIT-U", "name": "Unit Audit"}, headers=headers
    )
    assert created.status_code == 201, created.json
    unit_id = created.json["id"]
    assert (
        client.put(
            f"/api/v1/unit/{unit_id}", json={"name": "Unit Audit Baru"}, headers=headers
        ).status_code
        == 200
    )
    assert client.delete(f"/api/v1/unit/{unit_id}", headers=headers).status_code == 200
    with app.app_context():
        entries = db.session.scalars(
            select(AuditLog)
            .where(AuditLog.object_type == "unit", AuditLog.object_id == unit_id)
            .order_by(AuditLog.id)
        ).all()
        assert [e.action for e in entries] == ["unit.tambah", "unit.ubah", "unit.hapus"]
        assert entries[0].after["code"] == "AUDIT-U" and entries[0].before is None
        assert (entries[1].before, entries[1].after) == (
            {"name": "Unit Audit"},
            {"name": "Unit Audit Baru"},
        )
        assert entries[2].before["name"] == "Unit Audit Baru" and entries[2].after is None
        assert {e.username for e in entries} == {"kepegawaian"}
        assert db.session.get(Unit, unit_id) is None


def test_position_edit_through_the_panel_is_audited(app):
    with app.app_context():
        position = db.session.scalars(select(Position).order_by(Position.id)).first()
        position_id, name, kind = position.id, position.name, position.kind
    client = signed_in(app, "kepegawaian")
    response = client.post(
        f"/positionmodelview/edit/{position_id}", data={"name": name + " (ubah)", "kind": kind}
    )
    assert response.status_code == 302
    entry = _last_entry(app)
    assert (entry.action, entry.object_type, entry.object_id) == (
        "position.ubah",
        "position",
        position_id,
    )
    assert (entry.before, entry.after) == ({"name": name}, {"name": name + " (ubah)"})


def test_user_account_edit_is_audited_without_secrets(app):
    with app.app_context():
        from flask_appbuilder.security.sqla.models import User

        user = db.session.scalars(select(User).where(User.username == "pegawai")).one()
        user_id = user.id
        form = {
            "first_name": user.first_name + " Baru",
            "last_name": user.last_name,
            "username": user.username,
            "email": user.email,
            "active": "y",
            "roles": [str(role.id) for role in user.roles],
        }
    response = signed_in(app, "admin").post(f"/users/edit/{user_id}", data=form)
    assert response.status_code == 302, response.text[:500]
    entry = _last_entry(app)
    assert (entry.object_type, entry.object_id, entry.username) == ("user", user_id, "admin")
    assert entry.after == {"first_name": form["first_name"]}
    assert "password" not in (entry.before or {}) and "last_login" not in (entry.after or {})


def test_a_rating_form_is_one_entry_listing_its_items(app):
    penilai = signed_in(app, "penilai")
    team = penilai.get("/penilaian/tim/").text
    url = re.search(r'href="(/penilaian/\d+/\d+)"', team).group(1)
    html = penilai.get(url).text
    keys = sorted(set(re.findall(r'name="value-(indicator:[^"]+)"', html)))
    data = {"action": "draft"}
    for key in keys:
        options = re.findall(rf'name="value-{re.escape(key)}" value="([^"]+)"', html)
        data[f"value-{key}"] = options[0]  # the highest point (listed first)
    count = _count(app)
    response = penilai.post(url, data=data)
    assert response.status_code in (200, 302), response.text[:500]
    assert _count(app) == count + 1
    entry = _last_entry(app)
    ratee_id = int(url.rsplit("/", 1)[1])
    assert (entry.action, entry.object_type, entry.object_id) == (
        "nilai.simpan",
        "employee",
        ratee_id,
    )
    assert entry.item_count == len(keys) == len(entry.items)
    assert {item["type"] for item in entry.items} == {"rating"}
    assert all(item["after"] for item in entry.items)
    # the same form again, unchanged: nothing happened, nothing is written
    penilai.post(url, data=data)
    assert _count(app) == count + 1


def test_the_audit_screen_shows_an_actions_items_by_name(app):
    with app.app_context():
        entry_id = db.session.scalar(
            select(AuditLog.id).where(AuditLog.item_count.is_not(None)).order_by(AuditLog.id)
        )
    if entry_id is None:
        test_a_rating_form_is_one_entry_listing_its_items(app)
        entry_id = _last_entry(app).id
    page = signed_in(app, "admin").get(f"/auditlogmodelview/show/{entry_id}")
    assert page.status_code == 200
    assert "Data lain yang ikut berubah" in page.text and "kinerja-items" in page.text
