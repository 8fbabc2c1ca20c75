"""The ruleset's `when:` conditions as a small tree, for translation into the peers' languages.

The peers (zen-engine, rule-engine) must decide from the same YAML as the engine, not from a
hand-written copy of the default file: otherwise the comparison would only prove that two people
read the regulation alike. This module parses a condition once into `Leaf`/`All`/`Any`/`Not`, and
offers the normal forms the peers need (negation pushed to the leaves; rows of conjunctions for
decision tables).

A comparison holds only when its fact is present, and `not` of a comparison on a missing fact holds
(docs/rules.md, 8.1). So `not: {x: {gt: 1}}` is not `x: {lte: 1}`: a negated leaf keeps its operator
and a `negated` flag meaning "missing, or the comparison fails".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in")


@dataclass(frozen=True)
class Leaf:
    """`path op value`: every condition bottoms out in a fact compared with a constant.

    `negated` (only after `nnf`) means: the fact is missing or the comparison does not hold.
    """

    path: str
    op: str
    value: Any
    negated: bool = False


@dataclass(frozen=True)
class All:
    """Every part holds (`all:`, or several keys in one mapping)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Any_:
    """At least one part holds (`any:`)."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """The part does not hold (`not:`)."""

    part: Node


Node = Leaf | All | Any_ | Not
TRUE = All(())


def parse(when: Any) -> Node:
    """Parse a YAML `when:` value; a missing condition (None) is always true."""
    if when is None:
        return TRUE
    if isinstance(when, list):
        return All(tuple(parse(item) for item in when))
    if not isinstance(when, Mapping):
        raise ValueError(f"condition must be a mapping, got {when!r}")
    parts: list[Node] = []
    for key, value in when.items():
        if key == "all":
            parts.append(All(tuple(parse(item) for item in _as_list(value))))
        elif key == "any":
            parts.append(Any_(tuple(parse(item) for item in _as_list(value))))
        elif key == "not":
            parts.append(Not(parse(value)))
        elif isinstance(value, Mapping):
            for op, constant in value.items():
                if op not in OPERATORS:
                    raise ValueError(f"unknown operator {op!r} on {key!r}")
                parts.append(Leaf(str(key), str(op), constant))
        elif isinstance(value, list):
            parts.append(Leaf(str(key), "in", value))
        else:
            parts.append(Leaf(str(key), "eq", value))
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def nnf(node: Node, negated: bool = False) -> Node:
    """Negation normal form: `Not` pushed down to the leaves (De Morgan)."""
    if isinstance(node, Leaf):
        return Leaf(node.path, node.op, node.value, node.negated != negated)
    if isinstance(node, Not):
        return nnf(node.part, not negated)
    parts = tuple(nnf(part, negated) for part in node.parts)
    if isinstance(node, All):
        return Any_(parts) if negated else All(parts)
    return All(parts) if negated else Any_(parts)


def dnf(node: Node) -> list[list[Leaf]]:
    """Disjunctive normal form: a list of rows, each a conjunction of leaves.

    A decision table row is a conjunction of column tests, so an `any:` becomes several rows with
    the same output; an empty row (no leaves) always matches.
    """
    node = nnf(node)
    if isinstance(node, Leaf):
        return [[node]]
    if isinstance(node, Any_):
        return [row for part in node.parts for row in dnf(part)]
    if isinstance(node, All):
        rows: list[list[Leaf]] = [[]]
        for part in node.parts:
            rows = [row + extra for row in rows for extra in dnf(part)]
        return rows
    raise TypeError(node)


def leaves(node: Node) -> list[Leaf]:
    """Every leaf of the tree, in order (the fact paths a rule reads)."""
    if isinstance(node, Leaf):
        return [node]
    if isinstance(node, Not):
        return leaves(node.part)
    return [leaf for part in node.parts for leaf in leaves(part)]
