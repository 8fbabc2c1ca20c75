"""The indicator catalogue (`rules/indicators.yaml`): what can be rated, by whom, for which jabatan.

The web app seeds its Indicator table from it and the validator checks ruleset codes against it, so
its shape is checked here with the same located, Indonesian messages as rulesets.
"""

from __future__ import annotations

import re
from typing import Any

from app.engine.errors import Issue, RulesetError
from app.engine.loader import DEFAULT_LIMITS, Limits, LList, LMap, load_located
from app.engine.model import JABATAN_KINDS, RATER_KINDS

_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_FIELDS = ("code", "label", "aspect", "scale", "raters", "jabatan", "description")
_REQUIRED = ("code", "label", "aspect", "scale", "raters", "jabatan")


def is_catalogue(text: str) -> bool:
    """Whether a YAML text is a catalogue (top-level `indicators`, no `scales`) not a ruleset."""
    doc, _ = load_located(text)
    return isinstance(doc, LMap) and "indicators" in doc and "scales" not in doc


def _check_entry(entry: Any, mark: tuple[int, int], seen: dict[str, int]) -> list[Issue]:
    issues: list[Issue] = []
    if not isinstance(entry, LMap):
        return [Issue(*mark, "Setiap indikator harus berupa pemetaan.")]
    for key in entry:
        if key not in _FIELDS:
            issues.append(
                Issue(*entry.key_marks[key], f"Kunci '{key}' tidak dikenal di indikator.")
            )
    for key in _REQUIRED:
        if key not in entry:
            issues.append(Issue(*entry.mark, f"Kunci '{key}' wajib ada di indikator."))
    code = entry.get("code")
    if "code" in entry:
        where = entry.value_marks["code"]
        if not isinstance(code, str) or not _CODE.match(code) or "__" in code:
            issues.append(Issue(*where, f"Kode indikator '{code}' tidak valid."))
        elif code in seen:
            issues.append(Issue(*where, f"Kode '{code}' ganda (pertama di baris {seen[code]})."))
        else:
            seen[code] = where[0]
    for key in ("label", "aspect", "scale", "description"):
        if key in entry and not isinstance(entry[key], str):
            issues.append(Issue(*entry.value_marks[key], f"'{key}' harus berupa teks."))
    for key, allowed in (("raters", RATER_KINDS), ("jabatan", JABATAN_KINDS)):
        if key not in entry:
            continue
        values = entry[key]
        if not isinstance(values, LList) or not values:
            issues.append(
                Issue(*entry.value_marks[key], f"'{key}' harus daftar yang tidak kosong.")
            )
            continue
        for value, value_mark in zip(values, values.item_marks, strict=True):
            if value not in allowed:
                issues.append(
                    Issue(*value_mark, f"'{value}' tidak dikenal; pilihan: {', '.join(allowed)}.")
                )
    return issues


def validate_catalogue(text: str, limits: Limits = DEFAULT_LIMITS) -> list[Issue]:
    """Every located issue of a catalogue text; empty when valid."""
    doc, issues = load_located(text, limits)
    if doc is None:
        return sorted(issues)
    if not isinstance(doc, LMap) or set(doc) != {"indicators"}:
        return sorted([*issues, Issue(1, 1, "Katalog harus berisi satu kunci: 'indicators'.")])
    entries = doc["indicators"]
    if not isinstance(entries, LList):
        return sorted(
            [*issues, Issue(*doc.value_marks["indicators"], "'indicators' harus daftar.")]
        )
    seen: dict[str, int] = {}
    for entry, mark in zip(entries, entries.item_marks, strict=True):
        issues.extend(_check_entry(entry, mark, seen))
    return sorted(set(issues))


def load_catalogue(text: str, limits: Limits = DEFAULT_LIMITS) -> list[dict[str, Any]]:
    """The catalogue's entries as plain dicts; raises `RulesetError` when it does not validate."""
    issues = validate_catalogue(text, limits)
    if issues:
        raise RulesetError(issues)
    doc, _ = load_located(text, limits)
    return [
        {
            "code": e["code"],
            "label": e["label"],
            "aspect": e["aspect"],
            "scale": e["scale"],
            "raters": list(e["raters"]),
            "jabatan": list(e["jabatan"]),
            "description": e.get("description", ""),
        }
        for e in doc["indicators"]
    ]
