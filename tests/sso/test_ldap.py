"""Signing in through a real OpenLDAP directory (slapd started by the test), on SQLite and
PostgreSQL: group -> role mapping, the link to the employee by NIP, unknown NIP, a disabled
account, a wrong password, and the break-glass local administrator."""

from __future__ import annotations

import pytest
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import select

from app.cli.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import AuditLog, Employee
from config.sso import auth_settings
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database
from tests.sso import directory

GROUP_DN = "cn={},ou=groups," + directory.BASE


@pytest.fixture(scope="module")
def world(backend, tmp_path_factory):
    """A demo-seeded app signing in against a directory that knows some of its employees."""
    directory.require_directory()
    tmp = tmp_path_factory.mktemp(f"ldap-{backend}")
    with fresh_database(backend, tmp) as url:
        seeded = build_app(url)
        seed_demo(seeded)
        with seeded.app_context():
            free = db.session.scalars(
                select(Employee).where(Employee.user_id.is_(None)).order_by(Employee.id)
            ).all()
            leaders = set(db.session.scalars(select(Employee.supervisor_id).distinct()))
            head = next(e for e in free if e.id in leaders)
            staff = next(e for e in free if e.id not in leaders)
            nips = {"head": head.nip, "staff": staff.nip}
        password = "Sandi-Direktori-2026"
        people = [
            ("syahrul", "Syahrul Amin", nips["head"], password),
            ("teuku", "Teuku Hamzah", nips["staff"], password),
            ("operator", "Operator TI", "000000000000000000", password),
            ("tamu", "Tamu Luar", "199001012020011999", password),
            ("penebak", "Korban Tebakan", "000000000000000001", password),
        ]
        groups = {
            "kinerja-admin": ["operator", "penebak"],
            "kinerja-kepegawaian": ["teuku"],
            "semua-pegawai": ["syahrul", "teuku", "tamu"],
        }
        with directory.running_directory(tmp / "slapd", people, groups) as ldap_url:
            env = {
                "KINERJA_AUTH": "ldap",
                "KINERJA_LDAP_URL": ldap_url,
                "KINERJA_LDAP_SEARCH_BASE": f"ou=people,{directory.BASE}",
                "KINERJA_LDAP_BIND_DN": directory.ADMIN_DN,
                "KINERJA_LDAP_BIND_PASSWORD": directory.ADMIN_PASSWORD,
                "KINERJA_SSO_ROLES_MAPPING": (
                    f'{{"{GROUP_DN.format("kinerja-admin")}": ["Admin"],'
                    f' "{GROUP_DN.format("kinerja-kepegawaian")}": ["Kepegawaian"]}}'
                ),
            }
            app = build_app(url, **auth_settings(env))
            yield app, nips, password
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


def _sign_in(app, username: str, password: str) -> bool:
    response = app.test_client().post("/login/", data={"username": username, "password": password})
    return response.status_code == 302 and "/login" not in response.headers["Location"]


def _account(app, username: str) -> tuple[set[str], Employee | None]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        employee = db.session.scalar(select(Employee).where(Employee.user_id == user.id))
        return {role.name for role in user.roles}, employee


def test_a_unit_head_signs_in_is_linked_by_nip_and_rates_their_team(world):
    app, nips, password = world
    assert _sign_in(app, "syahrul", password)
    roles, employee = _account(app, "syahrul")
    assert employee is not None and employee.nip == nips["head"]
    assert {"Pegawai", "Pejabat Penilai"} <= roles and "Admin" not in roles


def test_directory_groups_give_roles(world):
    app, nips, password = world
    assert _sign_in(app, "teuku", password)
    roles, employee = _account(app, "teuku")
    assert employee.nip == nips["staff"]
    assert {"Kepegawaian", "Pegawai"} <= roles and "Pejabat Penilai" not in roles
    assert _sign_in(app, "operator", password)  # no employee, but an administrator's group
    roles, employee = _account(app, "operator")
    assert "Admin" in roles and employee is None


def test_unknown_nip_without_a_staff_group_is_refused_and_gets_no_account(world):
    app, _nips, password = world
    assert not _sign_in(app, "tamu", password)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "tamu")) is None


def test_wrong_password_and_unknown_user_are_refused(world):
    app, _nips, _password = world
    assert not _sign_in(app, "syahrul", "bukan-sandinya-123")
    assert not _sign_in(app, "tidak-ada", "apa-saja-12345")


def test_a_disabled_account_cannot_sign_in_even_with_the_right_password(world):
    app, _nips, password = world
    assert _sign_in(app, "teuku", password)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "teuku"))
        user.active = False
        db.session.commit()
    try:
        assert not _sign_in(app, "teuku", password)
    finally:
        with app.app_context():
            db.session.scalar(select(User).where(User.username == "teuku")).active = True
            db.session.commit()


def test_break_glass_administrator_signs_in_with_the_local_password(world):
    app, _nips, _password = world
    assert _sign_in(app, "admin", DEMO_PASSWORD)
    assert not _sign_in(app, "admin", "salah-sandi-admin")
    assert not _sign_in(app, "pegawai", DEMO_PASSWORD)  # local accounts not listed stay closed


def test_wrong_directory_passwords_slow_the_name_down_and_are_audited(world):
    app, _nips, password = world
    for _ in range(3):  # after the third failure in a row the name waits
        assert not _sign_in(app, "penebak", "tebakan-yang-salah")
    blocked = app.test_client().post("/login/", data={"username": "penebak", "password": password})
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in blocked.get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(
            select(AuditLog.action).where(AuditLog.username == "penebak")
        ).all()
    assert actions.count("login.gagal") == 3 and actions.count("login.ditolak") == 1
    metrics = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'kinerja_login_failures_total{reason="kata_sandi"}' in metrics
