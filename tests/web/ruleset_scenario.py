"""A scenario whose predikat depends on a weight: peers see more than the supervisor does.

The shipped ruleset lets only the supervisor decide the national aspects, so no weight can move a
predikat there. The scenario's period is pinned to a province's variant in which peers co-decide
the behaviour values (`perilaku_kerja` names no deciding kinds, so every kind with a positive
weight counts). The employee's main RHK is rated above expectation by the supervisor; every
BerAKHLAK value is rated "as expected" by the supervisor and "above expectation" by two peers.
With the shipped rater weights (supervisor 70, peer 20) the behaviour values stay "as expected"
and the predikat is baik; raising the peer weight to 100 tips them to "above expectation", and
the predikat to sangat baik.
"""

from __future__ import annotations

import yaml
from flask import Flask
from sqlalchemy import delete, select

from app.engine import checksum
from app.extensions import db
from app.models import AspectLevel, Employee, Evaluation, Indicator, Period, Rating, Rhk, Skp
from app.services.appraisal.evaluations import store_chunk

BEHAVIOUR = (
    "BERORIENTASI_PELAYANAN",
    "AKUNTABEL",
    "KOMPETEN",
    "HARMONIS",
    "LOYAL",
    "ADAPTIF",
    "KOLABORATIF",
)
RAISED_PEER_WEIGHT = 100
# the behaviour aspect's deciding kinds in the shipped ruleset (hasil_kerja's line differs)
BEHAVIOUR_BY_SUPERVISOR = "    raters: [supervisor]\n    indicators:\n"


def open_period_id(app: Flask) -> int:
    with app.app_context():
        return db.session.scalars(select(Period.id).where(Period.state == "open")).one()


def current_period_id(app: Flask) -> int:
    """The demo's current quarter, open or already moved to review by an earlier test."""
    with app.app_context():
        return db.session.scalars(
            select(Period.id)
            .where(Period.state.in_(("open", "review")))
            .order_by(Period.start_date.desc())
        ).first()


def review_period_id(app: Flask) -> int:
    """The demo's current quarter in review: a period a simulation may run on."""
    return in_review(app, current_period_id(app))


def in_review(app: Flask, period_id: int) -> int:
    """Move a period to review (as Kepegawaian, with a reason): simulations run only on periods
    in review or closed. Returns the period's id."""
    from app.services.actor import Actor
    from app.services.appraisal import periods
    from config.roles import KEPEGAWAIAN

    hr = Actor(user_id=None, username="kepegawaian", roles=frozenset({KEPEGAWAIAN}))
    with app.app_context():
        if db.session.get(Period, period_id).state != "review":
            periods.transition(db.session, hr, period_id, "review", reason="simulasi aturan")
    return period_id


def employee_id_of(app: Flask, username: str) -> int:
    with app.app_context():
        return db.session.scalars(
            select(Employee.id).where(Employee.user.has(username=username))
        ).one()


def make_peer_sensitive(app: Flask, period_id: int, employee_id: int) -> str:
    """Replace the employee's ratings in the period by the scenario's; store the live result.
    Returns the employee's NIP."""
    with app.app_context():
        session = db.session
        employee = session.get(Employee, employee_id)
        peers = list(
            session.scalars(
                select(Employee.id)
                .where(Employee.id.not_in([employee_id, employee.supervisor_id or 0]))
                .order_by(Employee.id)
                .limit(3)  # three answers: the ratee may see what peers changed
            )
        )
        session.execute(
            delete(Rating).where(Rating.period_id == period_id, Rating.ratee_id == employee_id)
        )
        session.execute(
            delete(AspectLevel).where(
                AspectLevel.period_id == period_id, AspectLevel.employee_id == employee_id
            )
        )
        skp = session.scalars(
            select(Skp).where(Skp.period_id == period_id, Skp.employee_id == employee_id)
        ).first()
        if skp is None:
            skp = Skp(period_id=period_id, employee_id=employee_id, state="approved")
            session.add(skp)
            session.flush()
        rhk = session.scalars(select(Rhk).where(Rhk.skp_id == skp.id, Rhk.kind == "utama")).first()
        if rhk is None:
            rhk = Rhk(
                skp_id=skp.id,
                position=1,
                kind="utama",
                text="Laporan kinerja tepat waktu",
                iki="Persentase laporan tepat waktu",
                target="100%",
            )
            session.add(rhk)
            session.flush()
        session.execute(delete(Rhk).where(Rhk.skp_id == skp.id, Rhk.id != rhk.id))
        supervisor = employee.supervisor_id
        session.add(
            Rating(
                period_id=period_id,
                ratee_id=employee_id,
                rater_id=supervisor,
                rater_kind="supervisor",
                rhk_id=rhk.id,
                value_level="di_atas_ekspektasi",
                state="submitted",
            )
        )
        codes = dict(session.execute(select(Indicator.code, Indicator.id)).all())
        period = session.get(Period, period_id)
        pinned = period.ruleset_version
        if BEHAVIOUR_BY_SUPERVISOR in pinned.yaml_text:  # peers co-decide behaviour
            text = pinned.yaml_text.replace(BEHAVIOUR_BY_SUPERVISOR, "    indicators:\n")
            pinned.yaml_text = text
            pinned.checksum = checksum(pinned.yaml_text)
        document = yaml.safe_load(pinned.yaml_text)
        for aspect, spec in document["aspects"].items():  # a bare database has no catalogue
            for code in spec.get("indicators") or []:
                if code not in codes:
                    indicator = Indicator(
                        code=code,
                        label=code.title(),
                        aspect=aspect,
                        scale=spec["scale"],
                        rater_kinds="supervisor,peer",
                    )
                    session.add(indicator)
                    session.flush()
                    codes[code] = indicator.id
        for code in BEHAVIOUR:
            session.add(
                Rating(
                    period_id=period_id,
                    ratee_id=employee_id,
                    rater_id=supervisor,
                    rater_kind="supervisor",
                    indicator_id=codes[code],
                    value_level="sesuai_ekspektasi",
                    state="submitted",
                )
            )
            for peer in peers:
                session.add(
                    Rating(
                        period_id=period_id,
                        ratee_id=employee_id,
                        rater_id=peer,
                        rater_kind="peer",
                        indicator_id=codes[code],
                        value_level="di_atas_ekspektasi",
                        state="submitted",
                    )
                )
        session.flush()
        period = session.get(Period, period_id)
        store_chunk(session, period, [employee_id])
        session.commit()
        return employee.nip


def stored_predicate(app: Flask, period_id: int, employee_id: int) -> str | None:
    with app.app_context():
        db.session.expire_all()
        return db.session.scalars(
            select(Evaluation.predicate).where(
                Evaluation.period_id == period_id, Evaluation.employee_id == employee_id
            )
        ).one()
