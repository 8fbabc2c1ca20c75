"""Ratings to facts in plain Python, from the YAML alone: the input the peers decide on.

The peers (zen-engine, rule-engine) are rules engines, not calculators: a user who picked one
instead of Kinerja's engine would still combine the ratings in code and hand the engine the facts.
This module is that code, written from docs/rules.md section 5 and the YAML document (never from
the engine's internals), so that the peers and the engine can disagree when one of them is wrong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Facts = dict[str, Any]


@dataclass(frozen=True)
class Aspect:
    """One aspect of the ruleset: scale, items and completeness rule."""

    name: str
    levels: tuple[str, ...] | None  # ordered level names, or None on a numeric scale
    rhk: bool
    weights: dict[str, float]
    minimum: int
    required: bool
    deciding: tuple[str, ...]  # the rater kinds whose ratings decide the aspect's items

    @property
    def rank(self) -> dict[str, int]:
        """Level name -> rank (1 = lowest), for an ordered scale."""
        return {level: i + 1 for i, level in enumerate(self.levels or ())}


@dataclass(frozen=True)
class Spec:
    """What the fact builder needs from a ruleset document."""

    raters: dict[str, float]
    aspects: tuple[Aspect, ...]
    indicator_aspect: dict[str, Aspect]

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Spec:
        """Read scales, rater weights and aspects from a loaded ruleset document."""
        scales = doc.get("scales") or {}
        raters = {str(k): float(v) for k, v in (doc.get("raters") or {"supervisor": 1}).items()}
        positive = tuple(k for k, w in raters.items() if w > 0)
        aspects: list[Aspect] = []
        for name, body in (doc.get("aspects") or {}).items():
            scale = scales.get(body.get("scale"))
            levels = tuple(str(v) for v in scale) if isinstance(scale, list) else None
            listed = body.get("indicators") or {}
            weights = (
                {str(code): float(w) for code, w in listed.items()}
                if isinstance(listed, Mapping)
                else {str(code): 1.0 for code in listed}
            )
            aspects.append(
                Aspect(
                    name=str(name),
                    levels=levels,
                    rhk=body.get("source") == "rhk",
                    weights=weights,
                    minimum=int(body.get("minimum", 1)),
                    required=bool(body.get("required", True)),
                    deciding=tuple(body.get("raters") or positive),
                )
            )
        by_code = {code: aspect for aspect in aspects for code in aspect.weights}
        return cls(raters, tuple(aspects), by_code)


def half_up(value: float) -> int:
    """Round half up (1.5 -> 2, 2.49 -> 2), as the rule language specifies for level ranks.

    The tiny tolerance keeps a mean that is a half in exact arithmetic (but 2.4999999999999996 in
    floating point) rounding up, as it would on paper.
    """
    return math.floor(value + 0.5 + 1e-9)


_RANKS: dict[tuple[str, ...], dict[str, int]] = {}


def _combine(by_kind: Mapping[str, list[Any]], raters: Mapping[str, float]) -> float | None:
    """Mean per rater kind, then the kinds present with a positive weight, weights renormalised."""
    total = 0.0
    weight = 0.0
    for kind, values in by_kind.items():
        w = raters.get(kind, 0.0)
        if w > 0 and values:
            total += w * (sum(values) / len(values))
            weight += w
    return total / weight if weight > 0 else None


def _item(kinds: Mapping[str, list[Any]], aspect: Aspect, raters: Mapping[str, float]) -> Any:
    """The combined value of one item: a level on an ordered scale, else a number (4 decimals).
    Only the kinds that decide the aspect count (docs/rules.md 4); the others are input."""
    kinds = {kind: values for kind, values in kinds.items() if kind in aspect.deciding}
    if aspect.levels:
        levels = aspect.levels
        rank = _RANKS.get(levels) or _RANKS.setdefault(levels, aspect.rank)
        ranked = {k: [rank[v] for v in vs] for k, vs in kinds.items()}
        mean = _combine(ranked, raters)
        if mean is None:
            return None
        return levels[min(max(half_up(mean), 1), len(levels)) - 1]
    mean = _combine(kinds, raters)
    return None if mean is None else round(mean, 4)


def _counts(values: list[str], levels: tuple[str, ...]) -> dict[str, Any]:
    """`total`, `count.<level>` and (when total > 0) `share.<level>`, shares to 4 decimals."""
    count = dict.fromkeys(levels, 0)
    for value in values:
        count[value] += 1
    out: dict[str, Any] = {"total": len(values), "count": count}
    if values:
        out["share"] = {level: round(c / len(values), 4) for level, c in count.items()}
    return out


def _aspect(aspect: Aspect, items: list[tuple[Any, float, bool | None]]) -> dict[str, Any]:
    """Aspect facts from its rated items `(value, weight, utama)` (docs/rules.md 5.2)."""
    weight = sum(w for _, w, _ in items)
    if aspect.levels:
        levels = aspect.levels
        out = _counts([v for v, _, _ in items], levels)
        if weight > 0:
            ranks = sum(w * (levels.index(v) + 1) for v, w, _ in items)
            out["score"] = round(ranks / weight, 4)
        if aspect.rhk:
            out["utama"] = _counts([v for v, _, u in items if u], levels)
            out["tambahan"] = _counts([v for v, _, u in items if not u], levels)
        return out
    out = {"total": len(items)}
    if weight > 0:
        out["score"] = round(sum(w * v for v, w, _ in items) / weight, 4)
    return out


def build(spec: Spec, employee: Mapping[str, Any]) -> Facts:
    """The facts of one employee, and for the caller: `_complete` (every required aspect has its
    minimum of rated items or a given level), `_rated` (per aspect: enough items for the level
    rules to propose a level) and `_given` (levels given directly)."""
    by_indicator: dict[str, dict[str, list[Any]]] = {}
    rhk: dict[str, dict[str, list[Any]]] = {}
    utama: dict[str, bool] = {}
    per_kind: dict[str, int] = {}
    for rating in employee.get("ratings", ()):
        kind = rating.get("rater", "supervisor")
        if spec.raters.get(kind, 0) <= 0:
            continue  # recorded, not counted (weight 0), or a kind the ruleset does not list
        per_kind[kind] = per_kind.get(kind, 0) + 1
        if "rhk" in rating:
            key = rating["rhk"]
            rhk.setdefault(key, {}).setdefault(kind, []).append(rating["value"])
            utama[key] = utama.get(key, False) or bool(rating.get("utama"))
        else:
            code = rating["indicator"]
            by_indicator.setdefault(code, {}).setdefault(kind, []).append(rating["value"])
    indicator: dict[str, Any] = {}
    for code, kinds in by_indicator.items():
        aspect = spec.indicator_aspect.get(code)
        if aspect is not None:
            value = _item(kinds, aspect, spec.raters)
            if value is not None:
                indicator[code] = value
    facts: Facts = {
        "indicator": indicator,
        "employee": dict(employee.get("employee") or {}),
        "unit": dict(employee.get("unit") or {}),
        "history": dict(employee.get("history") or {}),
        "raters": {kind: {"count": per_kind.get(kind, 0)} for kind in spec.raters},
    }
    given = employee.get("levels") or {}
    complete = True
    rated: dict[str, bool] = {}
    for aspect in spec.aspects:
        if aspect.rhk:
            items = []
            for key, kinds in rhk.items():
                value = _item(kinds, aspect, spec.raters)
                if value is not None:
                    items.append((value, 1.0, utama[key]))
        else:
            items = [(indicator[c], w, None) for c, w in aspect.weights.items() if c in indicator]
        facts[aspect.name] = _aspect(aspect, items)
        # Level rules propose a level only for an aspect with enough rated items.
        rated[aspect.name] = len(items) >= aspect.minimum
        if aspect.required and not rated[aspect.name] and aspect.name not in given:
            complete = False
    facts["_complete"] = complete  # before `without_ratings` rules, which the peers apply
    facts["_rated"] = rated
    facts["_given"] = dict(given)
    return facts
