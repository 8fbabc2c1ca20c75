"""The cast of the employee-and-public tests, taken from the demo and completed where the demo
has no login: the `pegawai` login, their supervisor (`penilai`), the supervisor's supervisor
(the atasan pejabat penilai, given the login `atasan` here) and someone in another unit."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from app.cli.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import Employee, Evaluation, Period, Rhk, Skp
from app.services.people import accounts
from config.roles import PEGAWAI, PENILAI


@dataclass
class People:
    pegawai: int
    penilai: int
    atasan: int
    colleague: int  # another subordinate of `penilai`, without a login
    stranger: int  # an employee in another unit
    open_period: int
    closed_period: int


def people(app: Flask) -> People:
    with app.app_context():
        pegawai = db.session.scalars(
            select(Employee).where(Employee.user.has(username="pegawai"))
        ).one()
        penilai = pegawai.supervisor
        atasan = penilai.supervisor
        if atasan.user_id is None:
            roles = accounts.ensure_roles(db.session)
            user, _ = accounts.ensure_user(
                db.session,
                username="atasan",
                password=DEMO_PASSWORD,
                first_name="Atasan pejabat penilai",
                last_name="(uji)",
                email="atasan@uji.kinerja.local",
                roles=[roles[PENILAI], roles[PEGAWAI]],
            )
            atasan.user = user
            db.session.commit()
        colleague = next(s for s in penilai.subordinates if s.id != pegawai.id)
        stranger = db.session.scalars(
            select(Employee).where(
                Employee.unit_id != pegawai.unit_id, Employee.supervisor_id.is_not(None)
            )
        ).first()
        open_period = db.session.scalars(select(Period).where(Period.state == "open")).one()
        closed = db.session.scalars(select(Period).where(Period.state == "closed")).first()
        return People(
            pegawai.id, penilai.id, atasan.id, colleague.id, stranger.id, open_period.id, closed.id
        )


def approved_rhk(app: Flask, employee_id: int, period_id: int) -> list[int]:
    """The employee's approved SKP in the period (made here if missing): its RHK ids."""
    with app.app_context():
        skp = db.session.scalar(
            select(Skp).where(Skp.period_id == period_id, Skp.employee_id == employee_id)
        )
        if skp is None:
            skp = Skp(period_id=period_id, employee_id=employee_id, state="approved")
            db.session.add(skp)
            for position, text in enumerate(
                ("Laporan kinerja bidang tersusun tepat waktu", "Layanan data kepegawaian"), 1
            ):
                db.session.add(
                    Rhk(
                        skp=skp,
                        position=position,
                        kind="utama",
                        text=text,
                        iki="Persentase penyelesaian",
                        target="100%",
                    )
                )
            db.session.commit()
        return [rhk.id for rhk in skp.rhk]


def evaluation_id(app: Flask, employee_id: int, period_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(Evaluation.id).where(
                Evaluation.employee_id == employee_id, Evaluation.period_id == period_id
            )
        )
