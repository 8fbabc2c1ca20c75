"""Demo ratings: approved SKPs and submitted supervisor ratings, so the demo has results.

Each employee gets a tendency (mostly "as expected", some above, a few below) that drives all
of their ratings, which gives a believable spread of predikat across units.
"""

from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.domain.codes import PUBLIC_INDICATOR
from app.domain.enums import EKSPEKTASI_LEVELS, RaterKind, RatingState, RhkKind, SkpState
from app.models import Employee, Indicator, Period, Position, Rating, Rhk, Skp
from app.services.appraisal.evaluations import store_chunk

RHK_TEMPLATES = [
    ("Tersusunnya laporan kinerja bidang tepat waktu", "Persentase laporan tepat waktu", "100%"),
    ("Terlaksananya pelayanan administrasi", "Jumlah layanan diselesaikan", "120 layanan"),
    ("Tersedianya data program yang mutakhir", "Persentase data diperbarui", "95%"),
    ("Terselenggaranya koordinasi lintas bidang", "Jumlah rapat koordinasi", "6 kali"),
]


def _level(rng: random.Random, tendency: float) -> str:
    roll = rng.random() + tendency
    if roll < 0.25:
        return EKSPEKTASI_LEVELS[0]
    return EKSPEKTASI_LEVELS[2] if roll > 1.25 else EKSPEKTASI_LEVELS[1]


def rate_period(
    session: Session, period: Period, rng: random.Random, skip: set[int] | None = None
) -> int:
    """Approved SKPs and submitted supervisor ratings for everyone with a supervisor (except
    `skip`), then the evaluations. Returns the number of ratings written.

    Rows go in with Core bulk inserts: building thousands of ORM objects made the demo slow.
    """
    indicators = list(session.scalars(select(Indicator).where(Indicator.is_active.is_(True))))
    employees = [
        (person, supervisor, jabatan, rng.choice([0.0, 0.45, 0.5, 0.5, 0.55, 0.6, 0.9]))
        for person, supervisor, jabatan in session.execute(
            select(Employee.id, Employee.supervisor_id, Position.kind)
            .join(Position, Position.id == Employee.position_id)
            .where(Employee.supervisor_id.is_not(None))
            .order_by(Employee.id)
        )
        if supervisor is not None and not (skip and person in skip)  # (the query's own filter)
    ]
    if not employees:
        return 0
    skp_of = dict(
        (employee, skp)
        for skp, employee in session.execute(
            insert(Skp).returning(Skp.id, Skp.employee_id, sort_by_parameter_order=True),
            [
                {
                    "period_id": period.id,
                    "employee_id": e[0],
                    "state": SkpState.APPROVED,
                    "lock_version": 1,
                }
                for e in employees
            ],
        )
    )
    rhk_rows = []
    for person, *_ in employees:
        for position, (text, iki, target) in enumerate(rng.sample(RHK_TEMPLATES, 3), start=1):
            rhk_rows.append(
                {
                    "skp_id": skp_of[person],
                    "position": position,
                    "kind": RhkKind.UTAMA if position < 3 else RhkKind.TAMBAHAN,
                    "text": text,
                    "iki": iki,
                    "target": target,
                }
            )
    rhk_ids = list(
        session.scalars(insert(Rhk).returning(Rhk.id, sort_by_parameter_order=True), rhk_rows)
    )
    ratings = []
    for index, (person, supervisor, jabatan, tendency) in enumerate(employees):
        for rhk_id in rhk_ids[3 * index : 3 * index + 3]:
            ratings.append(
                _rating(period, person, supervisor, rhk_id=rhk_id, level=_level(rng, tendency))
            )
        for indicator in indicators:
            if (
                RaterKind.SUPERVISOR not in indicator.rater_kinds.split(",")
                or jabatan not in indicator.jabatan_kinds.split(",")
                or indicator.code == PUBLIC_INDICATOR
            ):
                continue
            if indicator.scale == "ekspektasi":
                ratings.append(
                    _rating(
                        period,
                        person,
                        supervisor,
                        indicator_id=indicator.id,
                        level=_level(rng, tendency),
                    )
                )
            else:
                stars = max(1, min(5, round(2 + 3 * min(1.0, tendency + rng.random() * 0.4))))
                ratings.append(
                    _rating(
                        period, person, supervisor, indicator_id=indicator.id, number=Decimal(stars)
                    )
                )
    session.execute(insert(Rating), ratings)
    ids = list(session.scalars(select(Employee.id).order_by(Employee.id)))
    store_chunk(session, period, ids)
    return len(ratings)


def _rating(
    period: Period,
    ratee: int,
    rater: int,
    *,
    rhk_id: int | None = None,
    indicator_id: int | None = None,
    level: str | None = None,
    number: Decimal | None = None,
) -> dict[str, object]:
    return {
        "period_id": period.id,
        "ratee_id": ratee,
        "rater_id": rater,
        "rater_kind": RaterKind.SUPERVISOR,
        "rhk_id": rhk_id,
        "indicator_id": indicator_id,
        "value_level": level,
        "value_number": number,
        "state": RatingState.SUBMITTED,
        "lock_version": 1,
    }
