"""The decision stages of a ruleset document, read once for the peers' compilers.

Both peers translate the same four stages: the level rules of each aspect (first match wins), the
predikat table, and the award and training rules (every match fires). Reading them here, from the
YAML document, keeps the two translators about syntax only. Fact paths are flattened to one name
(`share.di_atas_ekspektasi` in the `hasil_kerja` level rules becomes
`hasil_kerja__share__di_atas_ekspektasi`) because both peers are much faster on flat contexts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bench import conditions
from bench.conditions import Leaf, Node

SEP = "__"
#: Facts of an aspect that its own level rules name without the aspect prefix (rules.md 6).
ASPECT_FACTS = ("score", "total", "count", "share", "utama", "tambahan")
PREDIKAT = ("sangat_kurang", "kurang", "butuh_perbaikan", "baik", "sangat_baik")
ORG_PREDIKAT = ("sangat_kurang", "kurang", "butuh_perbaikan", "baik", "istimewa")


@dataclass(frozen=True)
class Rule:
    """One rule: its name, its condition (paths already flat) and what it yields."""

    name: str
    when: Node
    outcome: str
    without_ratings: bool = False  # a level rule that also decides an incomplete aspect


@dataclass(frozen=True)
class Stages:
    """The decision stages in evaluation order, with every flat fact path they read."""

    levels: dict[str, tuple[Rule, ...]]
    predicate_rows: str
    predicate_columns: str
    predicate: dict[tuple[str, str], str]
    awards: tuple[Rule, ...]
    training: tuple[Rule, ...]

    def paths(self) -> set[str]:
        """Flat fact paths read by any rule (what a fact builder must supply)."""
        rules = [r for rs in self.levels.values() for r in rs] + [*self.awards, *self.training]
        found = {leaf.path for rule in rules for leaf in conditions.leaves(rule.when)}
        produced = {level_key(a) for a in self.levels} | {"predicate"}
        return found - produced


def flat(path: str) -> str:
    """`a.b.c` -> `a__b__c`."""
    return path.replace(".", SEP)


def level_key(aspect: str) -> str:
    """The flat name under which a stage publishes an aspect's level."""
    return f"{aspect}{SEP}level"


def _map(node: Node, change: Callable[[Leaf], Leaf]) -> Node:
    """The same condition with every leaf replaced by `change(leaf)`."""
    if isinstance(node, Leaf):
        return change(node)
    if isinstance(node, conditions.Not):
        return conditions.Not(_map(node.part, change))
    return type(node)(tuple(_map(part, change) for part in node.parts))


def _orders(doc: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """For every fact path that holds a level or a predikat, its levels from low to high."""
    scales = doc.get("scales") or {}
    orders: dict[str, tuple[str, ...]] = {
        "predicate": PREDIKAT,
        "history.previous_predicate": PREDIKAT,
        "unit.predicate": ORG_PREDIKAT,
    }
    for aspect, body in (doc.get("aspects") or {}).items():
        scale = scales.get(body.get("scale"))
        if isinstance(scale, list):
            levels = tuple(str(v) for v in scale)
        elif isinstance(scale, Mapping) and scale.get("levels"):
            levels = tuple(str(v) for v in scale["levels"])
        else:
            levels = ()
        if levels:
            orders[f"{aspect}.level"] = levels
        if isinstance(scale, list):
            for code in body.get("indicators") or ():
                orders[f"indicator.{code}"] = levels
    return orders


def _prepare(when: Any, aspect: str | None, orders: dict[str, tuple[str, ...]]) -> Node:
    """Parse a condition, prefix an aspect's own facts, expand level order, flatten paths.

    Neither peer knows that level names are ordered: `gte: sesuai_ekspektasi` on a level fact
    becomes `in: [sesuai_ekspektasi, di_atas_ekspektasi]`, the same test in words both support.
    """

    def change(leaf: Leaf) -> Leaf:
        path, op, value = leaf.path, leaf.op, leaf.value
        if aspect is not None and path.split(".", 1)[0] in ASPECT_FACTS:
            path = f"{aspect}.{path}"
        levels = orders.get(path)
        if levels and op in ("gt", "gte", "lt", "lte") and value in levels:
            i = levels.index(value)
            chosen = {"gt": levels[i + 1 :], "gte": levels[i:], "lt": levels[:i]}.get(
                op, levels[: i + 1]
            )
            op, value = "in", list(chosen)
        return Leaf(flat(path), op, value, leaf.negated)

    return _map(conditions.parse(when), change)


def _rules(items: Any, outcome_key: str, aspect: str | None, orders: Any) -> tuple[Rule, ...]:
    out: list[Rule] = []
    for item in items or ():
        when = _prepare(item.get("when"), aspect, orders)
        name = str(item.get("name") or f"{aspect}.{item.get(outcome_key)}")
        unrated = item.get("without_ratings") is True
        out.append(Rule(name, when, str(item.get(outcome_key)), unrated))
    return tuple(out)


def read(doc: Mapping[str, Any]) -> Stages:
    """The stages of a loaded ruleset document."""
    orders = _orders(doc)
    levels = {
        str(aspect): _rules(rules, "level", str(aspect), orders)
        for aspect, rules in (doc.get("levels") or {}).items()
    }
    table: dict[tuple[str, str], str] = {}
    for row, cells in (doc.get("predicate") or {}).items():
        for column, value in cells.items():
            table[(str(row), str(column))] = str(value)
    return Stages(
        levels=levels,
        predicate_rows="hasil_kerja",
        predicate_columns="perilaku_kerja",
        predicate=table,
        awards=_rules(doc.get("awards"), "award", None, orders),
        training=_rules(doc.get("training"), "recommend", None, orders),
    )


def flatten(facts: Mapping[str, Any], paths: set[str]) -> dict[str, Any]:
    """The values of `paths` (flat names) in nested `facts`; a missing fact is None."""
    out: dict[str, Any] = {}
    for path in paths:
        value: Any = facts
        for part in path.split(SEP):
            value = value.get(part) if isinstance(value, Mapping) else None
            if value is None:
                break
        out[path] = value
    return out
