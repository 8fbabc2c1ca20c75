"""Angka kredit of a jabatan fungsional (Peraturan BKN 3/2023, PermenPANRB 1/2023).

AK = the predikat's percentage × the jenjang's annual coefficient × months/12, rounded half up to
two decimals, as BKN's worked examples print it (150% × 12.5 = 18.75 for a year at Sangat Baik;
2/12 × 100% × 12.5 = 2.0833 -> 2.08 for two months at Baik). Only a jabatan fungsional earns
angka kredit; everyone else gets neither the value nor the percentage.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from app.engine.model import JABATAN_KINDS, JENJANG, PERIOD_KINDS

# The months a period of each kind covers when the input gives its kind but not `months`.
PERIOD_MONTHS = {"bulanan": 1, "triwulanan": 3, "semesteran": 6, "tahunan": 12}
_CENT = Decimal("0.01")
_JABATAN = frozenset(JABATAN_KINDS)
_JENJANG = frozenset(JENJANG)
_PERIOD_KINDS = frozenset(PERIOD_KINDS)


class Basis(NamedTuple):
    """What angka kredit needs to know of one employee (a tuple: one is made per result)."""

    fungsional: bool
    jenjang: str | None
    months: int | None


def _section(employee: dict[str, Any], name: str, issues: list[str]) -> dict[str, Any]:
    section = employee.get(name)
    if section is None:
        return {}
    if not isinstance(section, dict):
        issues.append(f"'{name}' harus berupa pemetaan (objek JSON).")
        return {}
    return section


def read_basis(employee: dict[str, Any], issues: list[str]) -> Basis:
    """Jabatan, jenjang and the period's months of one input employee; wrong values reported.

    A fungsional is an employee whose `employee.jabatan` is `fungsional`, or who gives a
    `jenjang` and no jabatan. A jenjang given to another jabatan is left out: it cannot change
    anything, since only a fungsional earns angka kredit.
    """
    person = employee.get("employee")
    period = employee.get("period")
    if person.__class__ is dict and (period is None or period.__class__ is dict):
        # the usual input, read without further calls: a known jabatan, no jenjang or a known
        # one, and a period whose months are given
        jabatan, jenjang = person.get("jabatan"), person.get("jenjang")
        months = period.get("months") if period else None
        kind = period.get("kind") if period else None
        if (
            jabatan.__class__ is str
            and jabatan in _JABATAN
            and (jenjang is None or jenjang.__class__ is str and jenjang in _JENJANG)
            and (months is None or months.__class__ is int and 1 <= months <= 12)
            and (period is None or kind.__class__ is str and kind in _PERIOD_KINDS)
        ):
            if jabatan != "fungsional":
                return _NOT_FUNGSIONAL
            if months is None and kind is not None:  # a period is given: its kind is known
                months = PERIOD_MONTHS[kind]
            basis = _FUNGSIONAL.get((jenjang, months))
            if basis is None:
                basis = _FUNGSIONAL[(jenjang, months)] = Basis(True, jenjang, months)
            return basis
    person = _section(employee, "employee", issues)
    jabatan = person.get("jabatan")
    if jabatan is not None and jabatan not in JABATAN_KINDS:
        issues.append(f"Nilai '{jabatan}' tidak sesuai untuk 'employee.jabatan'.")
        jabatan = None
    jenjang = person.get("jenjang")
    if jenjang is not None and jenjang not in JENJANG:
        issues.append(f"Jenjang '{jenjang}' tidak dikenal; pilihan: {', '.join(JENJANG)}.")
        jenjang = None
    fungsional = jabatan == "fungsional" or (jabatan is None and jenjang is not None)
    period = _section(employee, "period", issues)
    kind = period.get("kind")
    if kind is not None and kind not in PERIOD_KINDS:
        issues.append(f"Jenis periode '{kind}' tidak dikenal; pilihan: {', '.join(PERIOD_KINDS)}.")
        kind = None
    months = period.get("months")
    if months is not None and (
        not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 12
    ):
        issues.append(f"'period.months' harus bilangan bulat 1–12; ditemukan '{months}'.")
        months = None
    if months is None and kind is not None:
        months = PERIOD_MONTHS[kind]
    return Basis(fungsional, jenjang if fungsional else None, months)


_NOT_FUNGSIONAL = Basis(False, None, None)
# the bases of a fungsional by jenjang and months, made once (at most 9 x 13)
_FUNGSIONAL: dict[tuple[str | None, int | None], Basis] = {}


def angka_kredit(percent: float, koefisien: float, months: int) -> float:
    """percent/100 × koefisien × months/12, rounded half up to two decimals (in decimal
    arithmetic, so that 0.125 rounds to 0.13 and not, through binary floats, to 0.12)."""
    exact = Decimal(str(percent)) * Decimal(str(koefisien)) * months / Decimal(1200)
    return float(exact.quantize(_CENT, rounding=ROUND_HALF_UP))
