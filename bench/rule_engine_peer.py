"""The ruleset decided by rule-engine (PyPI `rule-engine`): one `rule_engine.Rule` per YAML rule.

Each `when:` condition is translated into a rule-engine expression (never hand-written), so this
peer decides the same ruleset the engine loads. Facts are handed over flat (`a__b`), because
rule-engine coerces a whole nested mapping on every attribute access, which made it about fifteen
times slower in a trial here; a user of rule-engine would flatten too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import rule_engine

from bench import conditions, facts, ruleset
from bench.conditions import Leaf, Node
from bench.decisions import COMPLETE, INCOMPLETE, Decision, make

_OPS = {"eq": "==", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _literal(value: Any) -> str:
    """A constant in rule-engine syntax (JSON is a subset for strings, numbers, booleans, lists)."""
    return json.dumps(value)


def expression(node: Node) -> str:
    """A condition as a rule-engine expression; a missing fact (null) satisfies no comparison.

    The null guard mirrors durable-rules, where a comparison with an absent fact does not match.
    """
    if isinstance(node, Leaf):
        path, value = node.path, _literal(node.value)
        if node.op == "eq":
            return f"{path} == {value}"
        if node.op == "in":
            return f"{path} in {value}"
        if node.op == "not_in":
            return f"({path} != null and not ({path} in {value}))"
        return f"({path} != null and {path} {_OPS[node.op]} {value})"
    if isinstance(node, conditions.Not):
        return f"not ({expression(node.part)})"
    if not node.parts:
        return "true"
    joiner = " and " if isinstance(node, conditions.All) else " or "
    return "(" + joiner.join(expression(part) for part in node.parts) + ")"


class RuleEnginePeer:
    """Compiled once per ruleset; `decide` takes one employee and returns its `Decision`."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        context = rule_engine.Context(default_value=None)
        self.stages = ruleset.read(document)
        self.spec = facts.Spec.from_document(document)
        self.paths = self.stages.paths()
        self.required = [a.name for a in self.spec.aspects if a.required]

        def compile_rules(rules: tuple[ruleset.Rule, ...]) -> list[tuple[Any, ruleset.Rule]]:
            return [(rule_engine.Rule(expression(r.when), context=context), r) for r in rules]

        self.levels = {a: compile_rules(rs) for a, rs in self.stages.levels.items()}
        rows, columns = self.stages.predicate_rows, self.stages.predicate_columns
        self.predicate = [
            (
                rule_engine.Rule(
                    f"{ruleset.level_key(rows)} == {_literal(row)} and "
                    f"{ruleset.level_key(columns)} == {_literal(column)}",
                    context=context,
                ),
                value,
            )
            for (row, column), value in self.stages.predicate.items()
        ]
        self.awards = compile_rules(self.stages.awards)
        self.training = compile_rules(self.stages.training)

    def decide(self, employee: Mapping[str, Any]) -> Decision:
        """Combine ratings in Python, then let rule-engine make every decision."""
        built = facts.build(self.spec, employee)
        ctx = ruleset.flatten(built, self.paths)
        given = built["_given"]
        levels: dict[str, str | None] = {}
        for aspect, rules in self.levels.items():
            rated = built["_rated"].get(aspect, True)
            chosen = next(
                (
                    r.outcome
                    for rule, r in rules
                    if (rated or r.without_ratings) and rule.matches(ctx)
                ),
                None,
            )
            levels[aspect] = ctx[ruleset.level_key(aspect)] = given.get(aspect, chosen)
        if any(levels.get(a) is None for a in self.required):
            return make(INCOMPLETE, levels, None, (), ())
        predicate = next((value for rule, value in self.predicate if rule.matches(ctx)), None)
        ctx["predicate"] = predicate
        awards = [r.outcome for rule, r in self.awards if rule.matches(ctx)]
        training = [r.outcome for rule, r in self.training if rule.matches(ctx)]
        return make(COMPLETE, levels, predicate, awards, training)

    def decider(self) -> Callable[[list[dict[str, Any]]], list[Decision]]:
        """A batch function, the same shape as the other implementations."""
        return lambda batch: [self.decide(e) for e in batch]
