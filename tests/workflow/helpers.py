"""Shared steps of the workflow tests, written as a user would do them."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.models import Employee, Period
from app.services.actor import Actor
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
