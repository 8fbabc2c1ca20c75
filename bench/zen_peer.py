"""The ruleset decided by zen-engine (PyPI `zen-engine`): one JDM graph of decision tables.

The graph is built from the YAML document, not by hand: each aspect's level rules become a
first-hit decision table, the predikat matrix a first-hit table, awards and training collect
tables. A `when:` condition becomes table rows in disjunctive normal form (an `any:` is several
rows with the same output), each leaf a unary cell on its fact's column. Ratings are combined in
Python (`bench.facts`) as a zen user would; every level, predikat, award and training decision is
made by zen's tables.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from itertools import count
from typing import Any

import zen

from bench import conditions, facts, ruleset
from bench.conditions import Leaf
from bench.decisions import COMPLETE, INCOMPLETE, Decision, make

_OPS = {"eq": "==", "ne": "!=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _given_key(aspect: str) -> str:
    return f"given{ruleset.SEP}{aspect}"


def _rated_key(aspect: str) -> str:
    return f"rated{ruleset.SEP}{aspect}"


def cell(leaf: Leaf) -> str:
    """A leaf as a zen unary expression on `$`, false when the fact is missing (null)."""
    value = json.dumps(leaf.value)
    if leaf.op == "eq":
        test = f"$ == {value}"
    elif leaf.op == "in":
        test = f"$ in {value}"
    elif leaf.op == "not_in":
        test = f"$ != null and not ($ in {value})"
    else:
        test = f"$ != null and $ {_OPS[leaf.op]} {value}"
    return f"not ({test})" if leaf.negated else test


class _Table:
    """A decision table under construction: columns appear as rows name new fact paths."""

    def __init__(self, node_id: str, name: str, hit: str, outputs: list[str]) -> None:
        self.node_id, self.name, self.hit = node_id, name, hit
        self.inputs: dict[str, str] = {}
        self.outputs = {field: f"{node_id}-o{i}" for i, field in enumerate(outputs)}
        self.rows: list[dict[str, str]] = []
        self.output_path: str | None = None

    def add(self, leaves: list[Leaf], outputs: dict[str, str]) -> None:
        """One row: the conjunction of `leaves`, then output expressions by output field."""
        row: dict[str, str] = {"_id": f"{self.node_id}-r{len(self.rows)}"}
        by_path: dict[str, list[str]] = {}
        for leaf in leaves:
            by_path.setdefault(leaf.path, []).append(cell(leaf))
        for path, cells in by_path.items():
            column = self.inputs.setdefault(path, f"{self.node_id}-i{len(self.inputs)}")
            row[column] = " and ".join(f"({c})" for c in cells) if len(cells) > 1 else cells[0]
        for field, expression in outputs.items():
            row[self.outputs[field]] = expression
        self.rows.append(row)

    def node(self) -> dict[str, Any]:
        """The JDM node; cells of columns a row does not test are empty (always true)."""
        columns = list(self.inputs.values()) + list(self.outputs.values())
        rules = [{c: row.get(c, "") for c in ["_id", *columns]} for row in self.rows]
        content: dict[str, Any] = {
            "hitPolicy": self.hit,
            "passThrough": True,
            "inputs": [
                {"id": c, "type": "expression", "field": p, "name": p}
                for p, c in self.inputs.items()
            ],
            "outputs": [
                {"id": c, "type": "expression", "field": f, "name": f}
                for f, c in self.outputs.items()
            ],
            "rules": rules,
        }
        if self.output_path:
            content["outputPath"] = self.output_path
        return {
            "id": self.node_id,
            "type": "decisionTableNode",
            "name": self.name,
            "position": {"x": 0, "y": 0},
            "content": content,
        }


def graph(stages: ruleset.Stages, required: list[str]) -> dict[str, Any]:
    """The JDM decision graph: input -> level tables -> predikat -> awards -> training -> output.

    A result is complete when every `required` aspect has a level (given, or from its rules).
    """
    ids = count()
    tables: list[_Table] = []
    complete = [Leaf(ruleset.level_key(a), "ne", None) for a in required]
    for aspect, rules in stages.levels.items():
        key = ruleset.level_key(aspect)
        table = _Table(f"levels-{next(ids)}", f"levels {aspect}", "first", [key])
        # A level given by the supervisor takes precedence over every proposal.
        table.add([Leaf(_given_key(aspect), "ne", None)], {key: _given_key(aspect)})
        rated = Leaf(_rated_key(aspect), "eq", True)
        for rule in rules:
            # `without_ratings` rules decide an aspect with too few rated items as well
            gate = [] if rule.without_ratings else [rated]
            for leaves in conditions.dnf(rule.when):
                table.add([*gate, *leaves], {key: json.dumps(rule.outcome)})
        tables.append(table)
    rows, columns = stages.predicate_rows, stages.predicate_columns
    table = _Table(f"predicate-{next(ids)}", "predikat", "first", ["predicate"])
    for (row, column), value in stages.predicate.items():
        table.add(
            [  # both levels present, so no gate: a missing level matches no cell
                Leaf(ruleset.level_key(rows), "eq", row),
                Leaf(ruleset.level_key(columns), "eq", column),
            ],
            {"predicate": json.dumps(value)},
        )
    tables.append(table)
    for stage, rules in (("awards", stages.awards), ("training", stages.training)):
        table = _Table(f"{stage}-{next(ids)}", stage, "collect", ["rule", "text"])
        table.output_path = stage
        for number, rule in enumerate(rules):
            for leaves in conditions.dnf(rule.when):
                table.add(
                    [*complete, *leaves],
                    {"rule": str(number), "text": json.dumps(rule.outcome)},
                )
        tables.append(table)
    nodes = [
        {"id": "request", "type": "inputNode", "name": "Request", "position": {"x": 0, "y": 0}},
        *(t.node() for t in tables),
        {"id": "response", "type": "outputNode", "name": "Response", "position": {"x": 0, "y": 0}},
    ]
    chain = ["request", *(t.node_id for t in tables), "response"]
    edges = [
        {"id": f"e{i}", "type": "edge", "sourceId": a, "targetId": b}
        for i, (a, b) in enumerate(zip(chain, chain[1:], strict=False))
    ]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def _collected(rows: Any) -> tuple[str, ...]:
    """Texts of a collect table, once per rule (an `any:` may match on several rows)."""
    seen: set[str] = set()
    texts: list[str] = []
    for row in rows or ():
        if row["rule"] not in seen:
            seen.add(row["rule"])
            texts.append(row["text"])
    return tuple(texts)


class ZenPeer:
    """Compiled once per ruleset; `decide` takes one employee and returns its `Decision`."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.stages = ruleset.read(document)
        self.spec = facts.Spec.from_document(document)
        self.paths = self.stages.paths()
        self.required = [a.name for a in self.spec.aspects if a.required]
        self.content = json.dumps(graph(self.stages, self.required))
        self.engine = zen.ZenEngine()
        self.decision = self.engine.create_decision(self.content)

    def decide(self, employee: Mapping[str, Any]) -> Decision:
        """Combine ratings in Python, then evaluate the decision graph."""
        built = facts.build(self.spec, employee)
        ctx = ruleset.flatten(built, self.paths)
        for aspect in self.stages.levels:
            ctx[_given_key(aspect)] = built["_given"].get(aspect)
            ctx[_rated_key(aspect)] = built["_rated"].get(aspect, True)
        result = self.decision.evaluate(ctx)["result"]
        levels = {a: result.get(ruleset.level_key(a)) for a in self.stages.levels}
        complete = all(levels.get(a) is not None for a in self.required)
        status = COMPLETE if complete else INCOMPLETE
        predicate = result.get("predicate") if complete else None
        return make(
            status,
            levels,
            predicate,
            _collected(result.get("awards")),
            _collected(result.get("training")),
        )

    def decider(self) -> Callable[[list[dict[str, Any]]], list[Decision]]:
        """A batch function, the same shape as the other implementations."""
        return lambda batch: [self.decide(e) for e in batch]
