"""A provincial-scale database for the benchmarks: 40,000 employees, 1.2 million ratings.

Written with SQLAlchemy Core bulk inserts (the ORM would spend minutes building objects nobody
reads). Deterministic for a given seed. Shared by the close-period and latency benchmarks.
"""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.domain.enums import EKSPEKTASI_LEVELS
from app.models import Employee, Indicator, Period, Position, Rating, Rhk, Skp, Unit
from app.services.appraisal.periods import latest_published

SKPA_COUNT = 50
SUB_UNITS = 4
SPAN = 8  # subordinates per section head
BATCH = 20_000
PEERS = 2


def _nip(index: int) -> str:
    """Valid, unique NIPs: birth dates spread over 1970-1997, appointment at 25."""
    year = 1970 + index % 28
    month = 1 + (index // 28) % 12
    day = 1 + (index // 336) % 28
    sequence = 1 + index // 9408
    return f"{year}{month:02d}{day:02d}{year + 25}{month:02d}{1 + index % 2}{sequence:03d}"


def _insert(session: Session, table: object, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start : start + BATCH])


def populate(session: Session, employees: int, seed: int) -> dict[str, int]:
    """Units, positions, employees in supervisor trees, a period in review with approved SKPs
    (3 RHK each) and about 30 submitted ratings per employee. Returns what it wrote."""
    rng = random.Random(seed)
    version = latest_published(session)
    kinds = ["jpt", "administrator", "pengawas", "fungsional", "pelaksana"]
    _insert(
        session,
        Position,
        [{"id": i + 1, "name": f"Jabatan {k}", "kind": k} for i, k in enumerate(kinds)],
    )
    units = []
    for s in range(SKPA_COUNT):
        units.append(
            {
                "id": len(units) + 1,
                "code": f"SKPA{s:02d}",
                "name": f"SKPA {s}",
                "parent_id": None,
                "is_active": True,
            }
        )
        parent = len(units)
        for b in range(SUB_UNITS):
            units.append(
                {
                    "id": len(units) + 1,
                    "code": f"SKPA{s:02d}-{b}",
                    "name": f"Bidang {b} SKPA {s}",
                    "parent_id": parent,
                    "is_active": True,
                }
            )
    _insert(session, Unit, units)

    people: list[dict] = []
    for index in range(employees):
        skpa = index % SKPA_COUNT
        rank = index // SKPA_COUNT  # 0: head of the SKPA, then the tree below it
        unit_id = skpa * (SUB_UNITS + 1) + 1 + (0 if rank == 0 else 1 + rank % SUB_UNITS)
        if rank == 0:
            supervisor, kind = None, 1
        elif rank <= SUB_UNITS:
            supervisor, kind = skpa + 1, 2
        else:
            boss_rank = 1 + (rank - SUB_UNITS - 1) // SPAN
            supervisor, kind = boss_rank * SKPA_COUNT + skpa + 1, 3 if rank < 60 else 5
        people.append(
            {
                "id": index + 1,
                "nip": _nip(index),
                "name": f"Pegawai {index + 1}",
                "status": "PNS",
                "golongan": "III/a",
                "position_id": kind,
                "unit_id": unit_id,
                "supervisor_id": supervisor,
                "is_unit_head": rank == 0,
                "is_active": True,
                "public_award_consent": False,
            }
        )
    _insert(session, Employee, people)

    period_id = session.execute(
        insert(Period).returning(Period.id),
        [
            {
                "name": "Tahun 2026 (bench)",
                "kind": "tahunan",
                "start_date": date(2026, 1, 1),
                "end_date": date(2026, 12, 31),
                "state": "review",
                "ruleset_version_id": version.id if version else None,
                "lock_version": 1,
            }
        ],
    ).scalar_one()

    indicators = {
        code: (ident, scale, aspect)
        for ident, code, scale, aspect in session.execute(
            select(Indicator.id, Indicator.code, Indicator.scale, Indicator.aspect)
        )
    }
    behaviour = [
        c
        for c, (_, scale, aspect) in indicators.items()
        if aspect == "perilaku_kerja" and scale == "ekspektasi"
    ]
    local = [
        c
        for c, (_, scale, aspect) in indicators.items()
        if scale == "bintang" and c != "KEPUASAN_PUBLIK"
    ]

    _insert(
        session,
        Skp,
        [
            {
                "id": p["id"],
                "period_id": period_id,
                "employee_id": p["id"],
                "state": "approved",
                "lock_version": 1,
            }
            for p in people
        ],
    )
    rhk_rows, ratings = [], []
    rhk_id = 0
    for person in people:
        ratee, boss = person["id"], person["supervisor_id"] or person["id"]
        tendency = rng.choice([0.0, 0.45, 0.5, 0.5, 0.55, 0.6, 0.9])

        def level(t=tendency) -> str:
            roll = rng.random() + t
            return EKSPEKTASI_LEVELS[0 if roll < 0.25 else 2 if roll > 1.25 else 1]

        for position in (1, 2, 3):
            rhk_id += 1
            rhk_rows.append(
                {
                    "id": rhk_id,
                    "skp_id": ratee,
                    "position": position,
                    "kind": "utama" if position < 3 else "tambahan",
                    "text": "RHK",
                    "iki": "IKI",
                    "target": "100%",
                }
            )
            for rater, kind in ((boss, "supervisor"), (ratee, "self")):
                if kind == "self" and boss == ratee:
                    continue
                ratings.append(_rating(period_id, ratee, rater, kind, None, rhk_id, level()))
        for code in behaviour:
            ratings.append(
                _rating(period_id, ratee, boss, "supervisor", indicators[code][0], None, level())
            )
            for offset in range(1, PEERS + 1):
                peer = (ratee + offset * 7 - 1) % len(people) + 1
                if peer not in (ratee, boss):
                    ratings.append(
                        _rating(period_id, ratee, peer, "peer", indicators[code][0], None, level())
                    )
        for code in local:
            stars = max(1, min(5, round(2 + 3 * min(1.0, tendency + rng.random() * 0.4))))
            ratings.append(
                _rating(
                    period_id, ratee, boss, "supervisor", indicators[code][0], None, None, stars
                )
            )
    _insert(session, Rhk, rhk_rows)
    _insert(session, Rating, ratings)
    session.commit()
    return {"period_id": period_id, "employees": len(people), "ratings": len(ratings)}


def _rating(
    period: int,
    ratee: int,
    rater: int,
    kind: str,
    indicator: int | None,
    rhk: int | None,
    level: str | None,
    stars: int | None = None,
) -> dict:
    return {
        "period_id": period,
        "ratee_id": ratee,
        "rater_id": rater,
        "rater_kind": kind,
        "indicator_id": indicator,
        "rhk_id": rhk,
        "value_level": level,
        "value_number": stars,
        "comment": None,
        "state": "submitted",
        "lock_version": 1,
    }
