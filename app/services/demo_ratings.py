"""Demo ratings: approved SKPs and submitted supervisor ratings, so the demo has results.

Each employee gets a tendency (mostly "as expected", some above, a few below) that drives all
of their ratings, which gives a believable spread of predikat across units.
"""

from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import EKSPEKTASI_LEVELS
from app.models import Employee, Indicator, Period, Rating, Rhk, Skp
from app.services.engine_input import PUBLIC_INDICATOR
from app.services.evaluations import store_chunk

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
    `skip`), then the evaluations. Returns the number of ratings written."""
    indicators = list(session.scalars(select(Indicator).where(Indicator.is_active.is_(True))))
    employees = list(
        session.scalars(select(Employee).where(Employee.supervisor_id.is_not(None)))
    )
    written = 0
    for person in employees:
        if skip and person.id in skip:
            continue
        tendency = rng.choice([0.0, 0.45, 0.5, 0.5, 0.55, 0.6, 0.9])
        skp = Skp(period_id=period.id, employee_id=person.id, state="approved")
        session.add(skp)
        for position, (text, iki, target) in enumerate(rng.sample(RHK_TEMPLATES, 3), start=1):
            rhk = Rhk(skp=skp, position=position, kind="utama" if position < 3 else "tambahan",
                      text=text, iki=iki, target=target)  # fmt: skip
            session.add(rhk)
            session.add(Rating(period_id=period.id, ratee_id=person.id,
                               rater_id=person.supervisor_id, rater_kind="supervisor", rhk=rhk,
                               value_level=_level(rng, tendency), state="submitted"))  # fmt: skip
            written += 1
        for indicator in indicators:
            if (
                "supervisor" not in indicator.rater_kinds.split(",")
                or person.position.kind not in indicator.jabatan_kinds.split(",")
                or indicator.code == PUBLIC_INDICATOR
            ):
                continue
            rating = Rating(period_id=period.id, ratee_id=person.id,
                            rater_id=person.supervisor_id, rater_kind="supervisor",
                            indicator_id=indicator.id, state="submitted")  # fmt: skip
            if indicator.scale == "ekspektasi":
                rating.value_level = _level(rng, tendency)
            else:
                stars = round(2 + 3 * min(1.0, tendency + rng.random() * 0.4))
                rating.value_number = Decimal(max(1, min(5, stars)))
            session.add(rating)
            written += 1
    session.flush()
    ids = [e.id for e in session.scalars(select(Employee).order_by(Employee.id))]
    store_chunk(session, period, ids)
    return written
