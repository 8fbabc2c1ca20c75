"""Shared steps of the workflow tests, written as a user would do them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Employee, Period
from app.services.actor import Actor
from app.services.authoring import ruleset_versions
from config.roles import ADMIN, KEPEGAWAIAN, PEGAWAI, PENILAI

DEMO_PERIOD = "Triwulan IV 2026"


@dataclass
class Cast:
    """Ids of the people in a scenario."""

    period: int
    supervisor: int
    subordinate: int
    other_unit_employee: int


def actor_of(employee_id: int | None, *roles: str) -> Actor:
    return Actor(
        user_id=None, username=f"e{employee_id}", roles=frozenset(roles), employee_id=employee_id
    )


def hr() -> Actor:
    return Actor(user_id=None, username="hr", roles=frozenset({KEPEGAWAIAN}))


def admin() -> Actor:
    return Actor(user_id=None, username="admin", roles=frozenset({ADMIN}))


def supervisor_actor(cast: Cast) -> Actor:
    return actor_of(cast.supervisor, PENILAI, PEGAWAI)


def cast_of(app: Flask) -> Cast:
    """The demo's `penilai` and `pegawai` logins, its open period, and someone elsewhere."""
    with app.app_context():
        penilai = db.session.scalars(
            select(Employee).where(Employee.user.has(username="penilai"))
        ).one()
        pegawai = db.session.scalars(
            select(Employee).where(Employee.user.has(username="pegawai"))
        ).one()
        other = db.session.scalars(
            select(Employee).where(
                Employee.unit_id != penilai.unit_id, Employee.supervisor_id.is_not(None)
            )
        ).first()
        period = db.session.scalars(select(Period).where(Period.name == DEMO_PERIOD)).one()
        return Cast(
            period=period.id,
            supervisor=penilai.id,
            subordinate=pegawai.id,
            other_unit_employee=other.id,
        )


def publish_and_pin(app: Flask, period_id: int, text: str, note: str, reason: str) -> int:
    """A policy officer publishes `text` through the API and Kepegawaian pins the period to it
    (re-evaluating its results); the new version's id."""
    from tests.conftest import api_token

    published = app.test_client().post(
        "/api/v1/ruleset/publish",
        json={"yaml_text": text, "note": note},
        headers=api_token(app, "perumus"),
    )
    assert published.status_code == 201, published.get_data(as_text=True)
    with app.app_context():
        ruleset_versions.request_repin(db.session, hr(), period_id, published.json["id"], reason)
    return int(published.json["id"])
