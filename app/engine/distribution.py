"""The distribution check of SE MenPANRB 3/2023: does a unit's spread of predikat fit its pattern?

The organisation predikat sets bounds on how many of the unit's employees may (or must) hold each
predikat. The circular calls it guidance, so findings are warnings unless the ruleset's
`distribution.strictness` is `error`. Shares are compared exactly (no rounding rule is confirmed).
"""

from __future__ import annotations

from typing import Any

from app.engine.errors import InputError
from app.engine.model import PREDICATES, Bound, Ruleset


def _describe(bound: Bound) -> str:
    names = " / ".join(bound.predicates)
    parts = []
    if bound.min_share is not None:
        parts.append(f"minimal {bound.min_share:.0%}")
    if bound.max_share is not None:
        parts.append(f"maksimal {bound.max_share:.0%}")
    if bound.min_count is not None:
        parts.append(f"minimal {bound.min_count} orang")
    if bound.max_count is not None:
        parts.append(f"maksimal {bound.max_count} orang")
    return f"{names}: " + ", ".join(parts)


def _counts(unit: dict[str, Any]) -> dict[str, int]:
    if "counts" in unit:
        counts = unit["counts"]
        if not isinstance(counts, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in counts.values()
        ):
            raise InputError("'counts' harus pemetaan predikat: jumlah pegawai.")
        return {str(k): v for k, v in counts.items()}
    out: dict[str, int] = {}
    employees = unit.get("employees", [])
    if not isinstance(employees, list):
        raise InputError("'employees' unit harus berupa daftar.")
    for employee in employees:
        predicate = employee.get("predicate") if isinstance(employee, dict) else employee
        out[str(predicate)] = out.get(str(predicate), 0) + 1
    return out


def check_unit(model: Ruleset, unit: dict[str, Any]) -> dict[str, Any]:
    """Findings for one unit: `{"unit", "predicate", "total", "counts", "ok", "findings",
    "pattern"}`; `pattern` states each bound of the unit's pattern in Indonesian."""
    if not isinstance(unit, dict):
        raise InputError("Setiap unit harus berupa pemetaan.")
    org = unit.get("predicate")
    counts = _counts(unit)
    total = sum(counts.values())
    severity = "error" if model.distribution_strictness == "error" else "warning"
    findings: list[dict[str, Any]] = []
    for name in counts:
        if name not in PREDICATES:
            findings.append(
                {
                    "rule": None,
                    "severity": "error",
                    "message": f"Predikat pegawai '{name}' tidak dikenal.",
                }
            )
    bounds = model.distribution.get(org) if isinstance(org, str) else None
    if bounds is None:
        findings.append(
            {
                "rule": None,
                "severity": "warning",
                "message": f"Tidak ada pola distribusi untuk predikat organisasi '{org}'.",
            }
        )
        bounds = ()
    for bound in bounds:
        n = sum(counts.get(p, 0) for p in bound.predicates)
        share = n / total if total else 0.0
        broken = (
            (bound.min_share is not None and share < bound.min_share)
            or (bound.max_share is not None and share > bound.max_share)
            or (bound.min_count is not None and n < bound.min_count)
            or (bound.max_count is not None and n > bound.max_count)
        )
        if broken:
            findings.append(
                {
                    "rule": bound.name,
                    "severity": severity,
                    "message": f"Unit berpredikat '{org}': {_describe(bound)}; "
                    f"sekarang {n} dari {total} ({share:.0%}).",
                }
            )
    return {
        "unit": unit.get("unit"),
        "predicate": org,
        "total": total,
        "counts": counts,
        "ok": not findings,
        "findings": findings,
        "pattern": [_describe(bound) for bound in bounds],
    }
