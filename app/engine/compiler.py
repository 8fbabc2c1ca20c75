"""Compiler: a validated `Ruleset` -> durable-rules ruleset definitions, one per stage.

Pure and deterministic: the output is plain JSON-like data that can be printed, diffed and tested,
and it is named by the ruleset's checksum so two versions can be registered side by side. Every
condition becomes durable-rules operators; nothing is executed from the YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.engine.conditions import constants_of, paths_of
from app.engine.model import AllOf, AnyOf, Atom, Cond, NotOf, Rule, Ruleset

MARKER = "_k"  # present in every asserted fact; keeps rules off durable-rules' own state object
# A rule that matches every fact. durable-rules aborts the process (free(): invalid pointer) after
# many deletions of sessions whose fact matched no rule; with this rule every session has matched.
# Rule names from YAML cannot start with "_", so it never collides with a policy rule.
SENTINEL = "_diterima"
_DURABLE_OP = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}
_INVERSE = {"gt": "lte", "gte": "lt", "lt": "gte", "lte": "gt"}


@dataclass(frozen=True)
class Stage:
    """One decision stage: its rules, what they read, and its durable-rules definition."""

    name: str  # the durable-rules ruleset name, unique per ruleset version
    kind: str  # "levels", "predicate", "awards", "training" or "allowance"
    key: str  # the aspect (levels) or component (allowance); "" otherwise
    rules: tuple[Rule, ...]
    paths: tuple[str, ...]
    constants: dict[str, tuple[Any, ...]]
    definition: dict[str, Any]
    first_match: bool
    # an aspect's `without_ratings` rules, asked when the aspect has too few rated items
    without_ratings: bool = False


def fact_key(path: str) -> str:
    """The flat durable-rules field of a fact path (validated names never contain `__`)."""
    return path.replace(".", "__")


def _atom(atom: Atom, negate: bool) -> dict[str, Any]:
    key = fact_key(atom.path)
    op = atom.op
    if op in ("in", "not_in"):
        equal = [{key: v} for v in atom.value]
        differ = [{"$neq": {key: v}} for v in atom.value]
        holds = (op == "in") != negate
        expr = _or(equal) if holds else _and([{"$ex": {key: 1}}, *differ])
    elif op in ("eq", "ne"):
        holds = (op == "eq") != negate
        expr = {key: atom.value} if holds else {"$neq": {key: atom.value}}
    else:
        expr = {_DURABLE_OP[_INVERSE[op] if negate else op]: {key: atom.value}}
    if negate:
        # A comparison on a missing fact is false, so its negation holds when the fact is missing.
        return _or([{"$nex": {key: 1}}, expr])
    return expr


def _and(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"$and": items}


def _or(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"$or": items}


def condition(cond: Cond, negate: bool = False) -> dict[str, Any]:
    """durable-rules expression for `cond` (negations pushed down to the comparisons)."""
    if isinstance(cond, Atom):
        return _atom(cond, negate)
    if isinstance(cond, NotOf):
        return condition(cond.item, not negate)
    if not cond.items:
        return {MARKER: 1} if not negate else {"$nex": {MARKER: 1}}
    parts = [condition(item, negate) for item in cond.items]
    conjunction = isinstance(cond, AllOf) != negate
    assert isinstance(cond, AllOf | AnyOf)
    return _and(parts) if conjunction else _or(parts)


def _stage(
    checksum: str,
    kind: str,
    key: str,
    rules: tuple[Rule, ...],
    first_match: bool,
    without_ratings: bool = False,
) -> Stage:
    name = f"kinerja-{checksum[:16]}-{kind}" + (f"-{key}" if key else "")
    if without_ratings:  # aspect names never hold '-', so this name is the stage's own
        name += "-tanpa-penilaian"
    paths: dict[str, None] = {}
    constants: dict[str, set[Any]] = {}
    definition: dict[str, Any] = {SENTINEL: {"all": [{"m": {MARKER: 1}}], "run": SENTINEL}}
    for rule in rules:
        for path in paths_of(rule.when):
            paths.setdefault(path, None)
        for path, values in constants_of(rule.when).items():
            constants.setdefault(path, set()).update(values)
        expr = condition(rule.when)
        guarded = {"$and": [{MARKER: 1}, expr]} if expr != {MARKER: 1} else expr
        definition[rule.name] = {"all": [{"m": guarded}], "run": rule.name}
    ordered = {p: tuple(sorted(v, key=lambda x: (str(type(x)), x))) for p, v in constants.items()}
    return Stage(
        name, kind, key, rules, tuple(paths), ordered, definition, first_match, without_ratings
    )


def compile_ruleset(model: Ruleset) -> tuple[Stage, ...]:
    """All stages of a ruleset, in evaluation order."""
    stages = [
        _stage(model.checksum, "levels", aspect, rules, True)
        for aspect, rules in model.levels.items()
    ]
    # An incomplete aspect (fewer rated items than its minimum) asks only these rules.
    for aspect, rules in model.levels.items():
        unrated = tuple(rule for rule in rules if rule.without_ratings)
        if unrated:
            stages.append(_stage(model.checksum, "levels", aspect, unrated, True, True))
    if model.predicate:
        stages.append(_stage(model.checksum, "predicate", "", model.predicate, True))
    if model.awards:
        stages.append(_stage(model.checksum, "awards", "", model.awards, False))
    if model.training:
        stages.append(_stage(model.checksum, "training", "", model.training, False))
    for component in model.components:
        if component.bands:
            stages.append(
                _stage(model.checksum, "allowance", component.name, component.bands, True)
            )
    return tuple(stages)


def definitions(stages: tuple[Stage, ...]) -> dict[str, dict[str, Any]]:
    """The durable-rules definitions of all stages, keyed by ruleset name (for printing/diffing)."""
    return {stage.name: stage.definition for stage in stages}
