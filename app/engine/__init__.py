"""Kinerja's headless rules engine: YAML rulesets -> validated model -> durable-rules -> results.

Usable from a script, a worker or a notebook; it imports neither Flask nor SQLAlchemy.

    from app.engine import load_ruleset, evaluate
    rs = load_ruleset("rules/kinerja-asn-aceh.yaml")
    results = evaluate(rs, [{"nip": "...", "ratings": [...]}])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from app.engine.catalogue import is_catalogue, load_catalogue, validate_catalogue
from app.engine.compiler import compile_ruleset, definitions
from app.engine.conditions import OPERATORS, as_tree
from app.engine.distribution import check_unit
from app.engine.errors import DecisionError, EngineError, InputError, Issue, RulesetError
from app.engine.evaluator import Runtime
from app.engine.loader import DEFAULT_LIMITS, Limits, LMap, load_located
from app.engine.model import (
    JENJANG,
    PREDICATE_COLUMNS,
    PREDICATE_ROWS,
    Aspect,
    Bound,
    FactType,
    Rule,
    Ruleset,
    Scale,
)
from app.engine.validator import checksum, validate

# The engine's whole public surface: the application imports from `app.engine` only (the model
# types and condition helpers are for the policy officers' forms, which read and write rules).
__all__ = [
    "JENJANG",
    "OPERATORS",
    "PREDICATE_COLUMNS",
    "PREDICATE_ROWS",
    "Aspect",
    "Bound",
    "CompiledRuleset",
    "FactType",
    "LMap",
    "Rule",
    "Ruleset",
    "Scale",
    "as_tree",
    "load_located",
    "validate",
    "DecisionError",
    "EngineError",
    "InputError",
    "Issue",
    "Limits",
    "RulesetError",
    "check_distribution",
    "checksum",
    "compiled_definitions",
    "evaluate",
    "is_catalogue",
    "validate_catalogue",
    "load_indicators",
    "load_ruleset",
    "validate_text",
]


class CompiledRuleset:
    """A validated, compiled ruleset: `model` (typed), `checksum`, and its runtime."""

    def __init__(self, model: Ruleset) -> None:
        self.model = model
        self.checksum = model.checksum
        self.name = model.name
        self.runtime = Runtime(model)

    def __repr__(self) -> str:
        return f"<CompiledRuleset {self.name} {self.checksum[:12]}>"


def _read(source: str | Path) -> str:
    if isinstance(source, Path):
        return source.read_text(encoding="utf-8")
    if "\n" not in source and len(source) < 4096 and source.endswith((".yaml", ".yml")):
        return Path(source).read_text(encoding="utf-8")
    return source


def validate_text(
    text: str,
    indicators: Iterable[str | Mapping[str, Any]] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Issue]:
    """Every located issue of a ruleset text, sorted; empty when valid. Never raises on bad text.

    `indicators` is the catalogue: its codes, or its entries (see `load_indicators`); when
    given, unknown codes are reported.
    """
    return validate(text, indicators, limits)[1]


def load_ruleset(
    source: str | Path,
    indicators: Iterable[str | Mapping[str, Any]] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> CompiledRuleset:
    """Load a ruleset from a path (`Path`, or a string ending in .yaml/.yml) or from YAML text.

    `indicators` is the catalogue: its codes, or its entries (`load_indicators`); with entries,
    a rating by a rater kind that the catalogue does not allow for its indicator makes that
    employee's result `tidak_valid`. Raises `RulesetError` (with `.issues`) when the ruleset does
    not validate.
    """
    model, issues = validate(_read(source), indicators, limits)
    if model is None:
        raise RulesetError(issues)
    return CompiledRuleset(model)


def evaluate(
    ruleset: CompiledRuleset,
    employees: Iterable[dict[str, Any]],
    *,
    cache: bool = True,
    explain: bool = True,
    bulk: bool = False,
) -> list[dict[str, Any]]:
    """Evaluate employees (the JSON input's `employees`) and return `results`, in input order.

    `cache=False` keeps no memo: every employee's ratings are read and checked one by one, its
    facts computed afresh and durable-rules asked for each decision (the slow reference that the
    tests compare the memos with);
    `explain=False` leaves out the `explanation` entries and the aspects' `input` (faster for
    bulk runs that compare decisions, such as a simulation); `bulk=True` pauses Python's cyclic
    garbage collector for the batch (results hold no cycles; its passes over a batch of
    thousands cost about half the time), for callers that evaluate thousands at once.
    """
    return ruleset.runtime.evaluate(employees, cache=cache, explain=explain, bulk=bulk)


def check_distribution(
    ruleset: CompiledRuleset, units: Iterable[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Distribution findings per unit (SE MenPANRB 3/2023), in input order.

    Each unit is `{"unit": ..., "predicate": <organisation predikat>, "employees": [{"nip",
    "predicate"}, ...]}` or gives `"counts": {predikat: n}` instead of `employees`.
    """
    if isinstance(units, dict | str | bytes):
        raise InputError("'units' harus berupa daftar unit.")
    return [check_unit(ruleset.model, unit) for unit in units]


def compiled_definitions(ruleset: CompiledRuleset) -> dict[str, dict[str, Any]]:
    """The durable-rules definitions of a ruleset, keyed by their checksum-based names."""
    return definitions(compile_ruleset(ruleset.model))


def load_indicators(source: str | Path) -> list[dict[str, Any]]:
    """The indicator catalogue (`rules/indicators.yaml`) as a list of plain dicts, validated.

    Each entry: `{"code", "label", "aspect", "scale", "raters", "jabatan", "description"}`.
    Raises `RulesetError` with located issues when the catalogue is malformed.
    """
    return load_catalogue(_read(source))
