"""Random but realistic employees for property tests and speed checks of the default ruleset."""

from __future__ import annotations

import random
from typing import Any

EKSPEKTASI = ("di_bawah_ekspektasi", "sesuai_ekspektasi", "di_atas_ekspektasi")
BERAKHLAK = (
    "BERORIENTASI_PELAYANAN",
    "AKUNTABEL",
    "KOMPETEN",
    "HARMONIS",
    "LOYAL",
    "ADAPTIF",
    "KOLABORATIF",
)
LOCAL = ("KUALITAS_KERJA", "DISIPLIN", "ADAPTASI", "KEPUASAN_PUBLIK")
ORG = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
JABATAN = ("jpt", "administrator", "pengawas", "fungsional", "pelaksana")


def employee(rng: random.Random, index: int, ratings: int = 40) -> dict[str, Any]:
    """One employee with about `ratings` ratings: RHK, BerAKHLAK (several raters) and local."""
    out: list[dict[str, Any]] = []
    skew = rng.random()

    def level() -> str:
        r = rng.random()
        return (
            EKSPEKTASI[0]
            if r < skew * 0.3
            else EKSPEKTASI[2]
            if r > 0.6 - skew * 0.2
            else EKSPEKTASI[1]
        )

    for i in range(rng.randint(3, 8)):
        out.append({"rhk": f"RHK-{i + 1}", "utama": i < 3, "rater": "supervisor", "value": level()})
    for code in BERAKHLAK:
        out.append({"indicator": code, "rater": "supervisor", "value": level()})
        if rng.random() < 0.5:
            out.append({"indicator": code, "rater": "peer", "value": level()})
    for code in LOCAL[:3]:  # the supervisor rates each local indicator once
        out.append({"indicator": code, "rater": "supervisor", "value": rng.randint(1, 5)})
    while len(out) < ratings:  # the rest by the kinds the catalogue allows for each code
        code = rng.choice(LOCAL)
        rater = {
            "KEPUASAN_PUBLIK": "public",
            "DISIPLIN": "self",  # the supervisor's alone; the employee's weighs 0 (silent)
        }.get(code) or rng.choice(("peer", "self"))
        out.append({"indicator": code, "rater": rater, "value": rng.randint(1, 5)})
    return {
        "nip": f"19800101200501{index % 2 + 1}{index:03d}",
        "employee": {
            "jabatan": rng.choice(JABATAN),
            "golongan": "III/a",
            "unit": f"U{index % 50}",
            "is_unit_head": rng.random() < 0.03,
        },
        "unit": {"predicate": rng.choice(ORG)},
        "history": {"sangat_baik_streak": rng.randint(0, 3), "baik_years": rng.randint(0, 3)},
        "ratings": out,
    }


def employees(count: int, seed: int = 1, ratings: int = 40) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [employee(rng, i, ratings) for i in range(count)]
