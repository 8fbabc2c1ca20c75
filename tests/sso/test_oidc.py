"""Signing in with OpenID Connect against a local stub identity provider (real HTTP between the
app and the provider, RS256 ID tokens checked against the provider's keys)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from flask_appbuilder.security.sqla.models import User
from sqlalchemy import select

from app.extensions import db
from app.models import Employee
from config.sso import auth_settings
from tests.conftest import build_app, seed_demo
from tests.databases import fresh_database
from tests.sso.identity_provider import CLIENT_ID, CLIENT_SECRET, running_provider


@pytest.fixture(scope="module")
def world(backend, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"oidc-{backend}")
    with fresh_database(backend, tmp) as url, running_provider() as provider:
        seeded = build_app(url)
        seed_demo(seeded)
        with seeded.app_context():
            leaders = set(db.session.scalars(select(Employee.supervisor_id).distinct()))
            free = db.session.scalars(
                select(Employee).where(Employee.user_id.is_(None)).order_by(Employee.id)
            ).all()
            member = next(e for e in free if e.id not in leaders)
            nip = member.nip
        env = {
            "KINERJA_AUTH": "oidc",
            "KINERJA_OIDC_ISSUER": provider.issuer,
            "KINERJA_OIDC_CLIENT_ID": CLIENT_ID,
            "KINERJA_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "KINERJA_SSO_ROLES_MAPPING": '{"kinerja-perumus": ["Perumus Kebijakan"]}',
        }
        app = build_app(url, **auth_settings(env))
        yield app, provider, nip
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _sign_in(app, provider, claims: dict) -> bool:
    """The browser's round trip: Kinerja -> provider's authorize -> Kinerja's callback."""
    provider.next_claims = claims
    client = app.test_client()
    to_provider = client.get("/login/oidc")
    assert to_provider.status_code == 302
    assert to_provider.headers["Location"].startswith(f"{provider.issuer}/authorize")
    back = requests.get(to_provider.headers["Location"], allow_redirects=False, timeout=10)
    callback = urlsplit(back.headers["Location"])
    done = client.get(f"{callback.path}?{callback.query}")
    return done.status_code == 302 and "/login" not in done.headers["Location"]


def test_an_employee_signs_in_is_linked_by_nip_and_gets_mapped_roles(world):
    app, provider, nip = world
    claims = {
        "sub": "u-1",
        "preferred_username": "cut.nyak",
        "given_name": "Cut",
        "family_name": "Nyak",
        "email": "cut@acehprov.go.id",
        "nip": nip,
        "groups": ["kinerja-perumus"],
    }
    assert _sign_in(app, provider, claims)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "cut.nyak"))
        assert {role.name for role in user.roles} >= {"Pegawai", "Perumus Kebijakan"}
        assert db.session.scalar(select(Employee.nip).where(Employee.user_id == user.id)) == nip


def test_unknown_nip_without_a_staff_role_is_refused(world):
    app, provider, _nip = world
    claims = {"sub": "u-2", "preferred_username": "orang.luar", "nip": "199912312020121999"}
    assert not _sign_in(app, provider, claims)
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "orang.luar")) is None
