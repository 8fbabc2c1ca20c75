"""The four implementations compared, behind one interface: build once, then decide a batch.

- `engine`: Kinerja's `app.engine.evaluate` (durable-rules deciding, with its decision cache);
  `engine-bulk` the same with `explain=False`, `engine-nocache` with `cache=False`;
- `oracle`: the independent plain-Python calculation in tests/engine/oracle.py, the floor;
- `zen-engine`: a JDM decision graph built from the YAML (bench.zen_peer);
- `rule-engine`: rule_engine.Rule expressions compiled from the YAML (bench.rule_engine_peer).

`facts` times the peers' shared fact building alone, to show how much of their time is the
libraries' own; `read` only reads each rating's fields, the ceiling of any pure-Python evaluator
on this input; `copy` only copies the engine's finished results (fresh dicts and lists, nothing
read or decided), the cost of handing out results of the contract's shape. `run` is what is
timed; `prepare` (untimed, optional) readies its input; `decisions` (untimed) turns its output
into comparable `Decision`s.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.decisions import Decision, make

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RULESET = ROOT / "rules" / "kinerja-asn-aceh.yaml"
ORACLE = ROOT / "tests" / "engine" / "oracle.py"

Batch = list[dict[str, Any]]


@dataclass
class Implementation:
    """A ready implementation: `run(batch)` is timed, `decisions(output)` is not.

    `decisions` returns None for a measurement that decides nothing (the peers' fact building).
    """

    name: str
    run: Callable[[Batch], Any]
    decisions: Callable[[Any], list[Decision] | None]
    prepare: Callable[[Batch], None] | None = None


def from_result(result: Mapping[str, Any]) -> Decision:
    """A `Decision` from one result dict of the engine contract (docs/rules.md section 11)."""
    aspects = result.get("aspects") or {}
    levels = {name: (body or {}).get("level") for name, body in aspects.items()}
    return make(
        str(result.get("status")),
        levels,
        result.get("predicate"),
        tuple(result.get("awards") or ()),
        tuple(result.get("training") or ()),
    )


def _engine(path: Path, **options: Any) -> Implementation:
    from app.engine import evaluate, load_ruleset

    ruleset = load_ruleset(path)
    name = (
        "engine" if not options else "engine, " + ", ".join(f"{k}={v}" for k, v in options.items())
    )
    return Implementation(
        name,
        lambda batch: evaluate(ruleset, batch, bulk=True, **options),
        lambda out: [from_result(r) for r in out],
    )


def load_oracle() -> Any:
    """tests/engine/oracle.py as a module (tests/ is not an installed package)."""
    if "kinerja_oracle" in sys.modules:
        return sys.modules["kinerja_oracle"]
    spec = importlib.util.spec_from_file_location("kinerja_oracle", ORACLE)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {ORACLE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["kinerja_oracle"] = module
    spec.loader.exec_module(module)
    return module


def _oracle(path: Path) -> Implementation:
    oracle = load_oracle().Oracle(path.read_text(encoding="utf-8"))
    return Implementation(
        "oracle",
        lambda batch: [oracle.evaluate(employee) for employee in batch],
        lambda out: [from_result(r) for r in out],
    )


def _zen(path: Path) -> Implementation:
    from bench.zen_peer import ZenPeer

    peer = ZenPeer(yaml.safe_load(path.read_text(encoding="utf-8")))
    return Implementation("zen-engine", peer.decider(), list)


def _rule_engine(path: Path) -> Implementation:
    from bench.rule_engine_peer import RuleEnginePeer

    peer = RuleEnginePeer(yaml.safe_load(path.read_text(encoding="utf-8")))
    return Implementation("rule-engine", peer.decider(), list)


def _facts_only(path: Path) -> Implementation:
    from bench import facts

    spec = facts.Spec.from_document(yaml.safe_load(path.read_text(encoding="utf-8")))
    return Implementation(
        "peers' fact building alone (bench/facts.py)",
        lambda batch: [facts.build(spec, employee) for employee in batch],
        lambda out: None,
    )


def _read_only(path: Path) -> Implementation:
    def read(batch: Batch) -> int:
        seen = 0
        for employee in batch:
            for rating in employee["ratings"]:
                rating.get("indicator")
                rating.get("rater")
                rating.get("value")
                seen += 1
        return seen

    return Implementation("reading every rating, nothing else", read, lambda out: None)


def _fresh(value: Any) -> Any:
    """A copy of a tree of dicts and lists (other values are immutable and shared)."""
    if value.__class__ is dict:
        return {key: _fresh(inner) for key, inner in value.items()}
    if value.__class__ is list:
        return [_fresh(inner) for inner in value]
    return value


def _copy_only(path: Path) -> Implementation:
    from app.engine import evaluate, load_ruleset

    ruleset = load_ruleset(path)
    made: dict[int, list[dict[str, Any]]] = {}

    def prepare(batch: Batch) -> None:
        made.clear()
        made[id(batch)] = evaluate(ruleset, batch)

    def run(batch: Batch) -> list[dict[str, Any]]:
        results = made.get(id(batch))
        return [_fresh(r) for r in (results if results is not None else evaluate(ruleset, batch))]

    return Implementation(
        "copying the engine's results, nothing else", run, lambda out: None, prepare
    )


BUILDERS: dict[str, Callable[[Path], Implementation]] = {
    "engine": _engine,
    "engine-bulk": lambda path: _engine(path, explain=False),
    "engine-nocache": lambda path: _engine(path, cache=False),
    "oracle": _oracle,
    "zen-engine": _zen,
    "rule-engine": _rule_engine,
    "facts": _facts_only,
    "read": _read_only,
    "copy": _copy_only,
}


def build(name: str, path: Path = DEFAULT_RULESET) -> Implementation:
    """Build (load, validate, compile) one implementation for the ruleset at `path`."""
    return BUILDERS[name](path)
