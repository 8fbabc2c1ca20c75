"""Deterministic synthetic employees in the input shape of `kinerja rules eval` (design.md).

Forty thousand employees (Aceh plans for that many ASN) with about forty ratings each: every RHK of
the SKP rated by the supervisor, the seven BerAKHLAK values rated by the supervisor, some peers and
the employee, the local 1-5 indicators, and the public's satisfaction. The same seed always gives
the same employees, so two runs (or two implementations in one run) see identical input.

The distributions are meant to look like a real period, not like uniform noise: most ratings are
`sesuai_ekspektasi`, and each employee has a latent tendency so that strong and weak employees
exist and every predikat, award and training rule is exercised.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Employee = dict[str, Any]

BERAKHLAK = (
    "BERORIENTASI_PELAYANAN",
    "AKUNTABEL",
    "KOMPETEN",
    "HARMONIS",
    "LOYAL",
    "ADAPTIF",
    "KOLABORATIF",
)
LEVELS = ("di_bawah_ekspektasi", "sesuai_ekspektasi", "di_atas_ekspektasi")
ORG_PREDICATES = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
ORG_WEIGHTS = (0.15, 0.6, 0.15, 0.07, 0.03)
EMPLOYEE_PREDICATES = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
JABATAN = ("jpt", "administrator", "pengawas", "fungsional", "pelaksana")
JABATAN_WEIGHTS = (0.005, 0.01, 0.02, 0.755, 0.21)  # BKA end of 2024: 75.5% JFT, 21.2% JFU
GOLONGAN_PNS = tuple(f"{g}/{r}" for g in ("II", "III", "IV") for r in "abcd") + ("IV/e",)
GOLONGAN_PPPK = tuple(f"{n:02d}" for n in range(5, 12))
JENJANG = ("pemula", "terampil", "mahir", "penyelia")
JENJANG += ("ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama")


@dataclass(frozen=True)
class Shape:
    """Which codes and rater kinds to generate: taken from the ruleset, defaults as in rules/.

    `local` are the weighted 1-5 indicators rated by the supervisor (and the employee, whose
    weight is 0 in the default ruleset); `public` is the indicator only the public rates.
    """

    behaviour: tuple[str, ...] = BERAKHLAK
    local: tuple[str, ...] = ("KUALITAS_KERJA", "DISIPLIN", "ADAPTASI")
    public: tuple[str, ...] = ("KEPUASAN_PUBLIK",)
    levels: tuple[str, ...] = LEVELS
    given_aspects: tuple[str, ...] = ("hasil_kerja", "perilaku_kerja")
    employee_keys: dict[str, str] = field(
        default_factory=lambda: {
            "jabatan": "jabatan",
            "golongan": "golongan",
            "unit": "unit",
            "is_unit_head": "is_unit_head",
            "status": "status",
        }
    )


def _level(rng: random.Random, tendency: float, bias: float = 0.0) -> str:
    """One ekspektasi rating: about 70% sesuai overall, shifted by the employee's tendency."""
    t = tendency + bias
    p_atas = min(max(0.15 + 0.2 * t, 0.01), 0.9)
    p_bawah = min(max(0.09 - 0.08 * t, 0.005), 0.9)
    u = rng.random()
    if u < p_bawah:
        return LEVELS[0]
    if u < p_bawah + p_atas:
        return LEVELS[2]
    return LEVELS[1]


def _stars(rng: random.Random, tendency: float, bias: float = 0.0) -> int:
    """One 1-5 rating centred near 3.6 and moved by the tendency; raters rarely give 1."""
    value = round(rng.gauss(3.6 + 0.6 * (tendency + bias), 0.8))
    return min(max(value, 1), 5)


def _nip(rng: random.Random, index: int, status: str) -> str:
    """An 18-digit NIP (PNS) or NI PPPK with plausible dates; unique through `index`."""
    year = rng.randint(1965, 2000)
    born = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    if status == "PNS":
        start = f"{rng.randint(max(year + 20, 1990), 2022)}{rng.randint(1, 12):02d}"
    else:
        start = f"{rng.choice((2021, 2022, 2023, 2024))}21"
    return f"{born}{start}{rng.choice('12')}{index % 1000:03d}"


def employee(rng: random.Random, index: int, units: int, shape: Shape) -> Employee:
    """One employee with about forty ratings, in the contract's input shape."""
    tendency = rng.gauss(0.0, 1.0)
    status = "PNS" if rng.random() < 0.69 else "PPPK"  # 19,194 PNS of 27,999 ASN
    jabatan = rng.choices(JABATAN, JABATAN_WEIGHTS)[0]
    unit_no = rng.randrange(units)
    keys = shape.employee_keys
    facts: dict[str, Any] = {
        keys["jabatan"]: jabatan,
        keys["golongan"]: rng.choice(GOLONGAN_PNS if status == "PNS" else GOLONGAN_PPPK),
        keys["unit"]: f"SKPA-{unit_no:03d}",
        keys["is_unit_head"]: jabatan in ("jpt", "administrator") and rng.random() < 0.5,
        keys["status"]: status,
    }
    if jabatan == "fungsional":  # from the index, so the random sequence stays as it was
        facts["jenjang"] = JENJANG[index % len(JENJANG)]
    ratings: list[dict[str, Any]] = []

    def rate(code: str, kind: str, value: Any) -> None:
        ratings.append({"indicator": code, "rater": kind, "value": value})

    def rate_rhk(key: str, utama: bool, value: str) -> None:
        ratings.append({"rhk": key, "utama": utama, "rater": "supervisor", "value": value})

    # About 0.3% have no RHK rated yet, about 1% miss one BerAKHLAK value: incomplete results.
    rhk_count = 0 if rng.random() < 0.003 else rng.randint(3, 6)
    for number in range(1, rhk_count + 1):
        rate_rhk(f"RHK-{number}", True, _level(rng, tendency))
    for number in range(1, rng.randint(0, 3) + 1):
        rate_rhk(f"RHK-T{number}", False, _level(rng, tendency, 0.2))
    peers = rng.randint(1, 3)
    self_rates = rng.random() < 0.7
    skipped = rng.choice(shape.behaviour) if rng.random() < 0.01 else None
    for code in shape.behaviour:
        if code == skipped:
            continue
        rate(code, "supervisor", _level(rng, tendency))
        for _ in range(peers):
            rate(code, "peer", _level(rng, tendency, 0.1))
        if self_rates:
            rate(code, "self", _level(rng, tendency, 0.8))
    for code in shape.local:
        rate(code, "supervisor", _stars(rng, tendency))
        if self_rates:
            rate(code, "self", _stars(rng, tendency, 0.6))
    for code in shape.public:
        for _ in range(rng.randint(0, 6)):
            rate(code, "public", _stars(rng, tendency * 0.5))
    # Earlier periods follow the same tendency, so the awards that need a streak do fire.
    good = tendency > 0.8
    history = {
        "sangat_baik_streak": rng.randint(0, 4) if good else rng.choice((0, 0, 0, 1)),
        "baik_years": rng.randint(0, 6),
    }
    out: Employee = {
        "nip": _nip(rng, index, status),
        "employee": facts,
        "unit": {"predicate": rng.choices(ORG_PREDICATES, ORG_WEIGHTS)[0]},
        "history": history,
        "period": {"kind": "tahunan", "months": 12},
        "ratings": ratings,
    }
    # About 2% carry a level the supervisor confirmed or overrode; it must win over the proposal.
    if shape.given_aspects and rng.random() < 0.02:
        aspect = rng.choice(shape.given_aspects)
        out["levels"] = {aspect: rng.choice(shape.levels)}
    return out


def iter_employees(n: int, seed: int, shape: Shape | None = None) -> Iterator[Employee]:
    """Yield `n` employees; the same (n, seed, shape) always gives the same employees."""
    rng = random.Random(seed)
    units = max(1, min(55, n // 20))  # 55 SKPA in 2023
    chosen = shape or Shape()
    for index in range(n):
        yield employee(rng, index, units, chosen)


def employees(n: int = 40_000, seed: int = 20260101, shape: Shape | None = None) -> list[Employee]:
    """`n` employees as a list (the batch that `evaluate` takes)."""
    return list(iter_employees(n, seed, shape))


def describe(batch: list[Employee]) -> dict[str, float]:
    """Summary figures of a batch, printed next to the results so that readers see the input."""
    ratings = sum(len(e["ratings"]) for e in batch)
    levels = [r["value"] for e in batch for r in e["ratings"] if isinstance(r["value"], str)]
    return {
        "employees": len(batch),
        "ratings": ratings,
        "ratings_per_employee": ratings / max(len(batch), 1),
        **{f"share_{name}": levels.count(name) / max(len(levels), 1) for name in LEVELS},
    }
