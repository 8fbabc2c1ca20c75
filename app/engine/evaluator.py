"""Runtime: employees' ratings -> facts -> durable-rules decisions -> results with explanations.

One path, in three steps:
1. ratings -> items: each item's ratings combined (`_combine`) and condensed per aspect into a
   key: its indicators' values, or its RHK counts per group and level (`Items`);
2. key -> facts: an aspect's score, counts and shares computed from that key (`_facts`);
3. facts -> decisions: every decision (a level proposal, the predikat cell, awards, training,
   allowance bands) made by durable-rules. Because each condition compares one fact with
   constants, a rule's outcome is constant between consecutive constants of each fact: the
   runtime maps facts to those intervals and keeps durable-rules' answer per combination in a
   table (`_StageRuntime`): filled when the runtime is built where the combinations are few,
   otherwise once per distinct combination met, bounded.

Each step keeps its answers per distinct input in bounded memos, so arithmetic and decisions run
once per distinct set of ratings, item values and facts. `cache=False` keeps nothing: the ratings
are read the plain way, facts computed afresh and durable-rules asked every time, which the tests
use to prove that the memos change no result. Each result is still a fresh tree of dicts and lists.
"""

from __future__ import annotations

import gc
import json
import os
import threading
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from itertools import chain, islice, product, repeat
from math import prod
from operator import attrgetter, call, getitem, itemgetter
from typing import Any, TypeVar, cast

from app.domain.enums import EvaluationStatus
from app.engine import host
from app.engine.angka_kredit import Basis, angka_kredit, read_basis
from app.engine.compiler import MARKER, Stage, compile_ruleset, fact_key
from app.engine.conditions import as_tree, paths_of
from app.engine.errors import InputError
from app.engine.model import (
    PREDICATE_COLUMNS,
    PREDICATE_ROWS,
    RATER_KINDS,
    FactType,
    Rule,
    Ruleset,
)
from app.engine.ratings import ONCE_KINDS, read_ratings

CACHE_LIMIT = 200_000  # decisions kept per stage; the table is cleared when it grows beyond this
# Tables filled when the runtime is built: rules, smallest first, while durable-rules has been
# asked fewer than EAGER_BUDGET questions for the whole ruleset (about 70 microseconds each, so a
# load spends at most some 0.3 s on them), and a stage's whole table when all its rules are filled
# and it has at most EAGER_LIMIT combinations of its facts' classes (derived in Python, no
# question asked). What is left is filled as employees need it.
EAGER_BUDGET = 4_096
EAGER_LIMIT = 8_192
_OTHER = "\x00lain"  # the class of any text that equals no constant of its fact
_EPS = 1e-9
INPUT_SECTIONS = ("employee", "unit", "history", "period")  # the input's own fact sections

Classifier = Callable[[Any], Any]


def _classifier(ftype: FactType, constants: tuple[Any, ...]) -> Classifier:
    """Maps an encoded fact value to its decision class for one stage."""
    if ftype.kind in ("level", "bool"):
        return lambda v: v
    if ftype.kind == "number":
        # bisect needs numeric order; the compiler's order puts floats before ints (4.5 < 1)
        consts = tuple(sorted({float(c) for c in constants}))
        size = len(consts)

        def number(v: Any) -> Any:
            if v is None:
                return None
            i = bisect_left(consts, v)
            return 2 * i + 1 if i < size and consts[i] == v else 2 * i

        return number
    known = frozenset(constants)
    return lambda v: v if v is None or v in known else _OTHER


def _representatives(ftype: FactType, constants: tuple[Any, ...]) -> tuple[Any, ...]:
    """One encoded value of each class `_classifier` can give (None, a missing fact, too)."""
    if ftype.kind == "level":
        return (None, *range(1, len(ftype.levels) + 1))
    if ftype.kind == "bool":
        return (None, 0, 1)
    if ftype.kind == "number":
        consts = sorted({float(c) for c in constants})
        if not consts:
            return (None, 0.0)
        between = [(a + b) / 2 for a, b in zip(consts, consts[1:], strict=False)]
        return (None, consts[0] - 1, *consts, *between, consts[-1] + 1)
    other = "lain"
    while other in constants:
        other += "_"
    return (None, *dict.fromkeys(constants), other)


_NESTED = (dict, list)


def _copier(tree: Any) -> Callable[[], Any]:
    """A function returning a fresh copy of a JSON-like tree (dicts, lists and scalars, keys in
    the same order), made once per rule: cheaper than parsing the tree's JSON text for each
    explanation (the copy is what keeps one result's condition apart from another's)."""
    if tree.__class__ is list:
        if not any(v.__class__ in _NESTED for v in tree):
            return tree.copy
        items = tuple(_copier(v) if v.__class__ in _NESTED else repeat(v).__next__ for v in tree)
        return lambda: [item() for item in items]
    if tree.__class__ is not dict:
        return repeat(tree).__next__
    keys = tuple(tree)
    nested = tuple(k for k in keys if tree[k].__class__ in _NESTED)
    if not nested:
        return tree.copy
    if keys[len(keys) - len(nested) :] == nested:  # nested values last: a copy keeps the order
        flat = {k: v for k, v in tree.items() if k not in nested}
        parts = tuple((k, _copier(tree[k])) for k in nested)

        def copy() -> dict[str, Any]:
            out = flat.copy()
            for key, part in parts:
                out[key] = part()
            return out

        return copy
    every = tuple(
        (k, _copier(v) if v.__class__ in _NESTED else repeat(v).__next__) for k, v in tree.items()
    )
    return lambda: {key: part() for key, part in every}


class _Hit:
    """A rule that held, and what its explanation says (built fresh for every result)."""

    __slots__ = ("name", "outcome", "kind", "key", "inputs", "text", "condition")

    def __init__(
        self,
        rule: Rule,
        stage: Stage,
        inputs: tuple[tuple[str, Any], ...],
        text: str,
        condition: Callable[[], Any],
    ) -> None:
        self.name = rule.name
        self.outcome = rule.outcome
        self.kind = stage.kind
        self.key = stage.key
        self.inputs = inputs
        self.text = text
        self.condition = condition

    def explanation(self) -> dict[str, Any]:
        """The entry of the headless contract (docs/rules.md, "Explanations")."""
        return {
            "rule": self.name,
            "stage": self.kind,
            "key": self.key,
            "inputs": dict(self.inputs),
            "condition": self.condition(),
            "outcome": self.outcome,
            "text": self.text,
        }


class _StageRuntime:
    """A stage with its classifiers, one decision table per rule, and explanation inputs.

    Each rule's truth depends only on the classes of the facts that rule reads, so each rule keeps
    its own table keyed by those classes; one durable-rules call (all rules see the same fact)
    answers every rule of the stage at once and fills all tables.
    """

    def __init__(self, stage: Stage, types: dict[str, FactType], typed: frozenset[str]) -> None:
        self.stage = stage
        self.types = types
        self.paths = stage.paths
        self.keys = tuple(fact_key(p) for p in stage.paths)
        self.classifiers = tuple(
            _classifier(types[p], stage.constants.get(p, ())) for p in stage.paths
        )
        self.rule_paths = {r.name: tuple(paths_of(r.when)) for r in stage.rules}
        # each rule's condition tree (as JSON gives it back: lists, not tuples) and a function
        # that makes a fresh copy of it: every explanation gets its own
        self.conditions = {
            r.name: _copier(json.loads(json.dumps(as_tree(r.when)))) for r in stage.rules
        }
        # per rule, the positions of the facts it reads among the stage's facts
        self.positions = tuple(
            [self.paths.index(p) for p in self.rule_paths[r.name]] for r in stage.rules
        )
        self.getters = tuple(map(_getter, self.positions))
        self.names = tuple(r.name for r in stage.rules)
        self.tables: tuple[dict[Any, bool], ...] = tuple({} for _ in stage.rules)
        self.first_match = stage.first_match
        self.fact_keys = tuple(zip(self.keys, self.paths, strict=True))
        self.whole: dict[tuple[Any, ...], tuple[int, ...]] = {}
        # fact value -> class, per path: a lookup instead of a bisect for values seen before
        self.class_memos: tuple[dict[Any, Any], ...] = tuple({} for _ in stage.paths)
        self.outcomes: dict[str, str] = {}  # rule name -> the explanation's opening words
        # the values of the stage's facts -> the rules that hold, with their explanations
        self.verdicts: dict[Any, tuple[_Hit, ...]] = {}
        # Facts whose values may be equal but read differently (1 and 1.0, 0.0 and -0.0, from
        # the input or a scale below 0): their keys carry each value's repr too.
        self.typed = any(p in typed for p in stage.paths)

    def fill_small_tables(self, budget: int) -> int:
        """Ask durable-rules, once, about every combination of classes of the stage's rules,
        smallest rule first, as far as `budget` questions go; when every rule's table is then
        complete and the stage has at most `EAGER_LIMIT` combinations, fill the whole stage's
        table from them. Returns the number of questions asked.

        One value of each class stands for the class (a rule's truth is constant within it),
        and the other facts of the stage are left out: a rule reads only its own.
        """
        choices = tuple(
            _representatives(self.types[p], self.stage.constants.get(p, ())) for p in self.paths
        )
        width = len(self.paths)
        sizes = [
            (prod(len(choices[i]) for i in where), index, where)
            for index, where in enumerate(self.positions)
        ]
        asked: list[tuple[int, tuple[Any, ...]]] = []
        for size, index, where in sorted(sizes):
            if len(asked) + size > budget:
                break
            for values in product(*(choices[i] for i in where)):
                slots: list[Any] = [None] * width
                for i, value in zip(where, values, strict=True):
                    slots[i] = value
                asked.append((index, tuple(slots)))
        if not asked:
            return 0
        facts = []
        for _, given in asked:
            fact = {k: v for (k, _), v in zip(self.fact_keys, given, strict=True) if v is not None}
            fact[MARKER] = 1
            facts.append(fact)
        answers = host.decide(self.stage.name, self.stage.definition, facts)
        for (index, given), fired in zip(asked, answers, strict=True):
            classes = self._classify(given)
            self.tables[index][self.getters[index](classes)] = self.names[index] in fired
        if len({index for index, _ in asked}) < len(self.names):
            return len(asked)
        if prod(map(len, choices)) > EAGER_LIMIT:
            return len(asked)
        for combination in product(*choices):
            classes = self._classify(combination)
            held = (
                i
                for i, (getter, table) in enumerate(zip(self.getters, self.tables, strict=True))
                if table[getter(classes)]
            )
            indices = tuple(islice(held, 1)) if self.first_match else tuple(held)
            self.whole[classes] = indices
        return len(asked)

    def verdict(self, env: dict[str, Any], cache: bool) -> tuple[_Hit, ...]:
        """The rules that hold for `env` (see `decide`), each with its explanation.

        Cached by the values of the stage's facts: the same values, the same hits and texts.
        """
        if cache:
            raw = tuple(map(env.get, self.paths))
            key = (raw, tuple(map(repr, raw))) if self.typed else raw
            hits = self.verdicts.get(key)
            if hits is not None:
                return hits
        hits = tuple(self._hit(self.stage.rules[i], env) for i in self.decide(env, cache))
        if cache:
            _bounded(self.verdicts, key, hits)
        return hits

    def _hit(self, rule: Rule, env: dict[str, Any]) -> _Hit:
        types = self.types
        inputs = tuple((p, types[p].decode(env.get(p))) for p in self.rule_paths[rule.name])
        reason = "tidak ada aturan sebelumnya yang berlaku" if not inputs else rule.text
        text = f"{self.outcomes[rule.name]} karena {reason}."
        return _Hit(rule, self.stage, inputs, text, self.conditions[rule.name])

    def decide(self, env: dict[str, Any], cache: bool) -> tuple[int, ...]:
        """Indices of the rules that hold for `env`, in rule order (only the first if first-match).

        Lookup order: the whole stage's table (one key for all its facts), then each rule's
        table, then durable-rules, whose answer fills both.
        """
        if cache:
            raw = tuple(map(env.get, self.paths))
            try:
                classes = tuple(map(getitem, self.class_memos, raw))
            except KeyError:
                classes = self._classify(raw)
            whole = classes
            hit = self.whole.get(whole)
            if hit is not None:
                return hit
            out: list[int] = []
            for index, (getter, table) in enumerate(zip(self.getters, self.tables, strict=True)):
                holds = table.get(getter(classes))
                if holds is None:
                    break
                if holds:
                    out.append(index)
                    if self.first_match:
                        break
            else:
                return self._remember(whole, tuple(out))
            if holds and self.first_match:
                return self._remember(whole, tuple(out))
        fact = {k: v for k, v in ((k, env.get(p)) for k, p in self.fact_keys) if v is not None}
        fact[MARKER] = 1
        fired = host.decide(self.stage.name, self.stage.definition, (fact,))[0]
        truth = [name in fired for name in self.names]
        indices = tuple(i for i, holds in enumerate(truth) if holds)
        if self.first_match:
            indices = indices[:1]
        if cache:
            for getter, table, holds in zip(self.getters, self.tables, truth, strict=True):
                _bounded(table, getter(classes), holds)
            self._remember(whole, indices)
        return indices

    def _remember(self, key: tuple[Any, ...], indices: tuple[int, ...]) -> tuple[int, ...]:
        return _bounded(self.whole, key, indices)

    def _classify(self, raw: tuple[Any, ...]) -> tuple[Any, ...]:
        """Classes of `raw` by the classifiers; each value's class is kept for the next time."""
        classes = tuple(c(v) for c, v in zip(self.classifiers, raw, strict=True))
        for memo, value, klass in zip(self.class_memos, raw, classes, strict=True):
            _bounded(memo, value, klass)
        return classes


_K = TypeVar("_K")
_V = TypeVar("_V")


def _bounded(table: dict[_K, _V], key: _K, value: _V) -> _V:
    """Store `value` under `key`, clearing the table first when it is full; return `value`."""
    if len(table) >= CACHE_LIMIT:
        table.clear()
    table[key] = value
    return value


def _getter(indices: list[int]) -> Callable[[Sequence[Any]], Any]:
    """Picks a rule's fact classes out of the stage's list (a scalar key for one fact)."""
    if not indices:
        return lambda classes: ()
    return itemgetter(*indices)


def _counts(
    keys: tuple[str, tuple[str, ...], tuple[str, ...]],
    levels: Sequence[str],
    counts: list[int],
    total: int,
    env: dict[str, Any],
) -> tuple[dict[str, int], dict[str, float]]:
    """Counts and shares of each level, written to the output and to the facts."""
    total_key, count_keys, share_keys = keys
    env[total_key] = total
    count = dict(zip(levels, counts, strict=True))
    share: dict[str, float] = {}
    for level, n, count_key, share_key in zip(levels, counts, count_keys, share_keys, strict=True):
        env[count_key] = n
        if total:
            share[level] = env[share_key] = round(n / total, 4)
    return count, share


def _scores(keys: tuple[str, str, str], values: list[float], env: dict[str, Any]) -> dict[str, Any]:
    """Total, mean and lowest of some RHK values on a numeric scale (summed in rating order),
    written to the output and, when there are any, to the facts."""
    total_key, score_key, min_key = keys
    env[total_key] = len(values)
    if not values:
        return {"total": 0, "score": None, "min": None}
    score, low = round(sum(values) / len(values), 4), min(values)
    env[score_key], env[min_key] = score, low
    return {"total": len(values), "score": score, "min": low}


class _Item:
    """One item's combined value (a rank on an ordered scale), the kinds of its deciding
    ratings, and what the other kinds said (their input: kind, value, number of ratings)."""

    __slots__ = ("value", "utama", "kinds", "input")

    def __init__(
        self,
        value: float | int | None,
        utama: bool,
        kinds: tuple[str, ...],
        given: tuple[tuple[str, Any, int], ...] = (),
    ) -> None:
        self.value = value  # None when no deciding rating of the item counts
        self.utama = utama
        self.kinds = kinds
        self.input = given


class _Facts:
    """An aspect's facts for one key (`Runtime._facts`): its part of the result, the facts rules
    read and its indicators' values, kept to be copied, not rebuilt."""

    __slots__ = ("out", "shape", "env", "indicators")

    def __init__(
        self,
        out: dict[str, Any],
        env: tuple[tuple[str, Any], ...],
        indicators: tuple[tuple[str, Any], ...],
    ) -> None:
        self.out = out
        self.shape = _shape(out)
        self.env = env
        self.indicators = indicators


class _Layout:
    """Where each item's ratings are in a rating list with a given sequence of codes."""

    __slots__ = ("codes", "owners", "aspects", "memos", "pickers", "rhk", "keys", "numeric")

    def __init__(
        self,
        codes: tuple[str, ...],
        owners: tuple[_AspectPlan, ...],
        memos: tuple[dict[Any, Any], ...],
        pickers: tuple[Picker, ...],
        rhk: Picker | None,
        keys: int,
        numeric: Picker | None,
    ) -> None:
        self.codes = codes  # the indicator codes, in order of first rating
        self.owners = owners  # each code's aspect
        self.aspects = tuple(owner.name for owner in owners)  # and its name
        self.memos = memos  # each code's item memo
        self.pickers = pickers  # each code's (rater, value) pairs out of all pairs
        self.rhk = rhk  # the RHK ratings (those without an indicator code), if any
        # How many keys the ratings hold in all when each holds only its own: `indicator`,
        # `rater`, `value`; an RHK's `rhk`, `utama`, `rater`, `value`. Any other count (a
        # `rater_id`, an RHK named next to an indicator, a missing `utama`) goes the plain path.
        self.keys = keys
        # The ratings of items on numeric scales. Their values must be exactly int or float:
        # True or Decimal("4") equal a number and would share its memo entry. (On an ordered
        # scale an entry holds level names, which no other type equals.)
        self.numeric = numeric


Picker = Callable[[Sequence[Any]], tuple[Any, ...]]
# RHK counts per group and level; counted kinds; the RHK with input (position, `_Item`)
RhkCounts = tuple[tuple[int, ...], tuple[Any, ...], tuple[tuple[int, "_Item"], ...]]


def _picker(where: list[int]) -> Picker | None:
    """Picks the elements at `where` (ascending) out of a sequence, always as a tuple; None when
    `where` is empty."""
    return _pick(where) if where else None


def _pick(where: list[int]) -> Picker:
    """`_picker` for a `where` that is not empty."""
    if where == list(range(where[0], where[-1] + 1)):
        return itemgetter(slice(where[0], where[-1] + 1))
    return itemgetter(*where)


_REJECTED = _Item(None, False, ())  # an item with a rating the plain reading reports
# codes the fast reading leaves to the plain one
_NO_LAYOUT = _Layout((), (), (), (), None, 0, None)
_PAIR = itemgetter("rater", "value")
_SECOND = itemgetter(1)
_NUMBERS = frozenset((int, float))  # the exact types of a valid value on a numeric scale
_STR = frozenset((str,))
_FLAGS = frozenset((bool,))  # `utama`: anything else (missing, null) goes the plain path
_VALUE_OF = attrgetter("value")
_KINDS_OF = attrgetter("kinds")
_INPUT_OF = attrgetter("input")
_RHK_ID = itemgetter("rhk")
# values per item (a rank on an ordered scale), RHK counts per group and level, counted kinds,
# and per aspect the input of the kinds that do not decide it (see `Inputs`)
Items = tuple[dict[str, Any], tuple[int, ...], dict[str, int], "Inputs"]
# aspect -> rater kind -> item (indicator code or RHK id) -> [value, number of ratings] (a list,
# as JSON gives it back, so that a stored result equals a fresh one)
Inputs = dict[str, dict[str, dict[str, list[Any]]]]


Shape = tuple[tuple[str, "Shape"], ...]


def _add_input(inputs: Inputs, aspect: str, label: str, item: _Item) -> None:
    """Record an item's input (what the kinds that do not decide it said) under its aspect."""
    by_kind = inputs.get(aspect)
    if by_kind is None:
        by_kind = inputs[aspect] = {}
    for kind, value, count in item.input:
        entries = by_kind.get(kind)
        if entries is None:
            by_kind[kind] = {label: [value, count]}
        else:
            entries[label] = [value, count]


def _shape(tree: dict[str, Any]) -> Shape:
    """The keys of `tree` that hold dicts, each with the shape of that dict."""
    return tuple((k, _shape(v)) for k, v in tree.items() if v.__class__ is dict)


def _copy(tree: dict[str, Any], shape: Shape) -> dict[str, Any]:
    """A fresh copy of nested dicts (other values are immutable): no two results share a dict."""
    out = tree.copy()
    for key, inner in shape:
        out[key] = _copy(tree[key], inner) if inner else tree[key].copy()
    return out


class _AspectPlan:
    """What the runtime needs to know about one aspect, precomputed."""

    def __init__(self, model: Ruleset, name: str, index: int) -> None:
        aspect = model.aspects[name]
        weights = model.raters
        deciding = aspect.raters or tuple(k for k, w in weights.items() if w > 0)
        # the kinds that decide this aspect's items, in the fixed order of `RATER_KINDS`
        self.deciding = tuple(k for k in RATER_KINDS if k in deciding)
        self.slots = {k: 2 * i for i, k in enumerate(self.deciding)}
        self.slot_weights = tuple((2 * i, float(weights[k])) for i, k in enumerate(self.deciding))
        self.width = 2 * len(self.deciding)
        self.scale = aspect.scale.name
        self.name = name
        self.index = index
        self.ordered = aspect.scale.ordered
        self.levels = aspect.scale.levels
        self.rhk = aspect.source == "rhk"
        self.weights = dict(aspect.indicators)
        self.minimum = aspect.minimum
        self.required = aspect.required
        self.low = aspect.scale.minimum
        self.high = aspect.scale.maximum
        self.ranks = {level: i + 1 for i, level in enumerate(self.levels)} if self.ordered else None
        # fact names built once, not per employee
        self.total_key = f"{name}.total"
        self.score_key = f"{name}.score"
        self.indicator_keys = {code: f"indicator.{code}" for code in self.weights}
        self.group_keys = tuple(
            (
                f"{name}.{group}total",
                tuple(f"{name}.{group}count.{level}" for level in self.levels),
                tuple(f"{name}.{group}share.{level}" for level in self.levels),
            )
            for group in ("", "utama.", "tambahan.")
        )
        # an RHK aspect on a numeric scale: (total, score, min) facts of all, utama, tambahan
        self.score_keys = tuple(
            (f"{name}.{group}total", f"{name}.{group}score", f"{name}.{group}min")
            for group in ("", "utama.", "tambahan.")
        )
        self.codes = tuple(self.weights)
        self.level_key = f"{name}.level"
        self.stage: _StageRuntime | None = None  # its level rules, set by the runtime
        # Memos, bounded by CACHE_LIMIT:
        # the (rater, value) pairs of one item -> `_Item`,
        self.items: dict[tuple[Any, ...], _Item] = {}
        # the items' values (ranks on an ordered scale) -> `_Facts` of the aspect,
        self.facts: dict[tuple[Any, ...], _Facts] = {}
        # RHK rated once each: their (rater, value) pairs and utama flags -> counts and kinds
        # (`_REJECTED` when one of them is a rating the plain path reports).
        self.rhk_sets: dict[tuple[Any, ...], RhkCounts | _Item] = {}
        self.unrated: _StageRuntime | None = None  # its `without_ratings` rules, if any

    def measure(self, value: Any) -> float | int | None:
        """A rating's value as the arithmetic uses it (a rank on an ordered scale), or None
        when it is not on the aspect's scale."""
        if self.ranks is not None:
            return self.ranks.get(value) if value.__class__ is str else None
        if type(value) in (int, float) and self.low <= value <= self.high:
            return cast(float, value)  # an int or a float: its exact type was checked
        return None

    def shown(self, mean: float) -> Any:
        """A mean of values as reported: a level (rank rounded half up) or 4 decimals."""
        if self.ranks is not None:
            return self.levels[int(mean + 0.5 + _EPS) - 1]
        return round(mean, 4)


class Runtime:
    """A compiled ruleset ready to evaluate; safe to share between threads."""

    def __init__(self, model: Ruleset) -> None:
        self.model = model
        self.stages = compile_ruleset(model)
        types = model.fact_types
        typed = {
            p
            for p, t in types.items()
            if t.kind in ("number", "text") and p.split(".")[0] in INPUT_SECTIONS
        }
        for aspect in model.aspects.values():
            if aspect.scale.minimum is not None and aspect.scale.minimum < 0:
                typed.update(p for p in types if p.startswith(f"{aspect.name}."))
                typed.update(f"indicator.{code}" for code, _ in aspect.indicators)
        self.runtimes = [_StageRuntime(s, types, frozenset(typed)) for s in self.stages]
        budget = EAGER_BUDGET
        for runtime in self.runtimes:
            budget -= runtime.fill_small_tables(budget)
        levels = [r for r in self.runtimes if r.stage.kind == "levels"]
        self.level_stages = {r.stage.key: r for r in levels if not r.stage.without_ratings}
        unrated = {r.stage.key: r for r in levels if r.stage.without_ratings}
        by_kind = {r.stage.kind: r for r in self.runtimes if r.stage.kind != "levels"}
        self.predicate_stage = by_kind.get("predicate")
        self.awards_stage = by_kind.get("awards")
        self.training_stage = by_kind.get("training")
        self.band_stages = {r.stage.key: r for r in self.runtimes if r.stage.kind == "allowance"}
        self.aspects = [_AspectPlan(model, name, i) for i, name in enumerate(model.aspects)]
        self.by_code: dict[str, _AspectPlan] = {}
        for plan in self.aspects:
            for code in plan.weights:
                self.by_code[code] = plan
        self.rhk_plan = next((p for p in self.aspects if p.rhk), None)
        # RHK of no employee: counts per group and level (ordered scale), or no values (numeric)
        self.no_rhk = (
            (0,) * (2 * len(self.rhk_plan.levels))
            if self.rhk_plan and self.rhk_plan.ordered
            else ()
        )
        # a sequence of rating codes -> its `_Layout` (bounded by CACHE_LIMIT)
        self.layouts: dict[tuple[Any, ...], _Layout] = {}
        for plan in self.aspects:
            plan.stage = self.level_stages.get(plan.name)
            plan.unrated = unrated.get(plan.name)
        self.weights = dict(model.raters)
        # predikat and `Basis` -> the angka kredit part of `consequences`, computed once each
        # (decimal arithmetic is slow; at most 5 x 2 x 9 x 13 entries)
        self.credits: dict[tuple[str, Basis], dict[str, Any]] = {}
        # the catalogue's rater kinds per indicator code (codes it does not name: any kind)
        self.allowed = {code: frozenset(kinds) for code, kinds in model.allowed_raters.items()}
        # per indicator code, its item memo: (rater, value) pairs -> `_Item` (bounded). An item
        # depends on its aspect and the kinds allowed to rate it, not on its code, so codes that
        # share both share one memo (the seven BerAKHLAK values do).
        shared: dict[tuple[str, frozenset[str] | None], dict[tuple[Any, ...], _Item]] = {}
        self.item_memos = {
            code: shared.setdefault((plan.name, self.allowed.get(code)), {})
            for code, plan in self.by_code.items()
        }
        self.types = types
        needed: set[str] = set()
        for compiled in self.stages:
            needed.update(compiled.paths)
        self.needed = needed
        self.input_paths = [p for p in sorted(needed) if p.split(".")[0] in INPUT_SECTIONS]
        # the input facts per section (in path order): path, field, kind, and for a level its
        # rank per name, for a text the known values (None: any text)
        sections: dict[str, list[tuple[str, str, str, Any]]] = {}
        for path in self.input_paths:
            section, field = path.split(".", 1)
            ftype = types[path]
            if ftype.kind == "level":
                table: Any = {level: ftype.encode(level) for level in ftype.levels}
            else:
                table = frozenset(ftype.levels) or None
            sections.setdefault(section, []).append((path, field, ftype.kind, table))
        self.input_sections = tuple((name, tuple(specs)) for name, specs in sections.items())
        self.count_raters = any(p.startswith("raters.") for p in needed)
        self.pred_types = types["predicate"]
        self.by_predicate = {c.name: dict(c.by_predicate) for c in model.components}
        for plan in self.aspects:
            for stage in (plan.stage, plan.unrated):
                if stage is not None:
                    for rule in stage.stage.rules:
                        stage.outcomes[rule.name] = (
                            f"Tingkat {plan.name} diusulkan '{rule.outcome}'"
                        )
        if self.predicate_stage is not None:
            for rule in self.predicate_stage.stage.rules:
                self.predicate_stage.outcomes[rule.name] = (
                    f"Predikat '{rule.outcome}' dari tabel {PREDICATE_ROWS} × {PREDICATE_COLUMNS}"
                )
        for stage, words in (
            (self.awards_stage, "Penghargaan"),
            (self.training_stage, "Rekomendasi pelatihan"),
        ):
            if stage is not None:
                for rule in stage.stage.rules:
                    stage.outcomes[rule.name] = f"{words} '{rule.outcome}'"
        for name, stage in self.band_stages.items():
            for rule in stage.stage.rules:
                stage.outcomes[rule.name] = f"Komponen TPP '{name}' {rule.outcome:g}%"

    # -- ratings -> items -------------------------------------------------------------------
    def _items(self, ratings: Any, issues: list[str]) -> Items:
        """The ratings read the plain way: every problem of the input is added to `issues`.

        `read_ratings` checks each rating and groups the good ones per item; each item is then
        combined by `_combine`, as the fast reading (`_items_cached`) combines it, and condensed
        into the same `Items`.
        """
        groups = read_ratings(self, ratings, issues)
        ordered_rhk = self.rhk_plan is not None and self.rhk_plan.ordered
        values: dict[str, Any] = {}
        # RHK counts per group and level (ordered scale) or (utama, value) pairs (numeric)
        rhk: list[Any] = list(self.no_rhk)
        counts: dict[str, int] = {}
        inputs: Inputs = {}
        for key, (plan, entries) in groups.items():
            is_rhk = key.__class__ is tuple
            item = self._combine(plan, None if is_rhk else key, entries)
            if item is _REJECTED:  # a problem `read_ratings` has reported
                continue
            if item.value is None:
                pass
            elif not is_rhk:
                values[key] = item.value
            elif ordered_rhk:  # the value is the item's rank
                rhk[(0 if item.utama else len(plan.levels)) + int(item.value) - 1] += 1
            else:
                rhk.append((item.utama, item.value))
            for kind in item.kinds:
                counts[kind] = counts.get(kind, 0) + 1
            if item.input:
                _add_input(inputs, plan.name, key[1] if is_rhk else key, item)
        return values, tuple(rhk), counts, inputs

    def _combine(self, plan: _AspectPlan, code: str | None, entries: Sequence[Any]) -> _Item:
        """One item from its (rater, value[, utama]) entries, in rating order.

        The deciding kinds' values are averaged per kind, then weighted over the kinds present,
        in the fixed order of `RATER_KINDS` (so the float result never depends on the ratings'
        order); the other kinds' means are the item's input. `_REJECTED` when an entry is one
        `read_ratings` reports (a weight-0 kind's unusable rating is left out silently).
        """
        sums = [0.0] * plan.width
        kinds: list[str] = []
        others: dict[str, list[float]] = {}
        flags: set[Any] = set()
        once: set[str] = set()
        allowed = self.allowed.get(code) if code is not None else None
        for entry in entries:
            kind = entry[0]
            weight = self.weights.get(kind) if kind.__class__ is str else None
            if weight is None:
                return _REJECTED
            silent = weight == 0
            v = plan.measure(entry[1])
            flag = entry[2] if len(entry) > 2 else False
            refused = allowed is not None and kind not in allowed
            if v is None or refused or flag.__class__ is not bool:
                if silent:
                    continue
                return _REJECTED
            if not silent:
                if kind in ONCE_KINDS:
                    if kind in once:
                        return _REJECTED
                    once.add(kind)
                flags.add(flag)
            slot = plan.slots.get(kind)
            if slot is None:
                acc = others.get(kind)
                if acc is None:
                    acc = others[kind] = [0.0, 0]
                acc[0] += v
                acc[1] += 1
                continue
            kinds.append(kind)
            sums[slot] += v
            sums[slot + 1] += 1
        if len(flags) > 1:
            return _REJECTED
        value: float | None = None
        if kinds:
            num = den = 0.0
            for slot, w in plan.slot_weights:
                n = sums[slot + 1]
                if n:
                    num += w * (sums[slot] / n)
                    den += w
            value = num / den
            if plan.ranks is not None:
                value = int(value + 0.5 + _EPS)  # the level's rank, rounded half up
        given = tuple(
            (kind, plan.shown(others[kind][0] / others[kind][1]), int(others[kind][1]))
            for kind in RATER_KINDS
            if kind in others
        )
        return _Item(value, True in flags, tuple(kinds), given)

    def _items_cached(self, ratings: Any, with_input: bool = True) -> Items | None:
        """`_items`, fast, or None when a rating is unusual (`_items` then says why).

        Passes in C over the ratings (their indicator codes, (rater, value) pairs and the
        values' types), and a `_Layout` per distinct sequence of codes that says which
        positions form each item: the items' pairs are picked out and looked up in their
        codes' memos without a Python loop over the ratings, so `_combine`'s arithmetic runs
        once per distinct sequence. Only text, int and float values take this path: a bool or
        Decimal compares equal to a number and would otherwise share that number's entry.
        Ratings with any key beyond their own (a `rater_id`, say) go the plain path, which
        finds a peer's duplicates and every other problem.
        """
        if ratings.__class__ is not list:
            return None
        try:
            codes = tuple(map(dict.get, ratings, repeat("indicator")))
            layout = self.layouts.get(codes) or self._layout(codes)
            pairs = tuple(map(_PAIR, ratings))
        except (KeyError, TypeError):
            return None
        if layout is _NO_LAYOUT or sum(map(len, ratings)) != layout.keys:
            return None
        if layout.numeric and not _NUMBERS.issuperset(
            map(type, map(_SECOND, layout.numeric(pairs)))
        ):
            return None
        keys = tuple(map(call, layout.pickers, repeat(pairs)))
        try:
            items = list(map(dict.get, layout.memos, keys))
        except TypeError:  # an unhashable value
            return None
        if None in items:
            for index, item in enumerate(items):
                if item is None:
                    code = layout.codes[index]
                    item = self._combine(layout.owners[index], code, keys[index])
                    items[index] = _bounded(layout.memos[index], keys[index], item)
        if _REJECTED in items:
            return None
        found = tuple(map(_VALUE_OF, items))
        values = dict(zip(layout.codes, found, strict=True))
        if None in found:
            values = {code: value for code, value in values.items() if value is not None}
        inputs: Inputs = {}
        if with_input and any(map(_INPUT_OF, items)):  # `_add_input`, inlined: input is common
            combined = cast(list[_Item], items)  # each None was replaced by its item above
            for code, aspect, item in zip(layout.codes, layout.aspects, combined, strict=True):
                if item.input:
                    by_kind = inputs.get(aspect)
                    if by_kind is None:
                        by_kind = inputs[aspect] = {}
                    for kind, value, count in item.input:
                        entries = by_kind.get(kind)
                        if entries is None:
                            by_kind[kind] = {code: [value, count]}
                        else:
                            entries[code] = [value, count]
        counts, rhk_kinds = self.no_rhk, ()
        if layout.rhk:
            rhk = self._rhk_cached(layout.rhk(ratings), layout.rhk(pairs), inputs)
            if rhk is None:
                return None
            counts, rhk_kinds, _ = rhk
        rater_counts: dict[str, int] = {}
        if self.count_raters:
            for kind in chain(chain.from_iterable(map(_KINDS_OF, items)), rhk_kinds):
                rater_counts[kind] = rater_counts.get(kind, 0) + 1
        return values, counts, rater_counts, inputs

    def _rhk_cached(
        self, ratings: tuple[Any, ...], pairs: tuple[Any, ...], inputs: Inputs
    ) -> RhkCounts | None:
        """RHK counts per group and level, and the counted rater kinds, of some RHK ratings
        (with their (rater, value) pairs); the RHK's input is added to `inputs`.

        When every RHK is rated once (the usual case), the answer is kept per sequence of
        (rater, value) pairs and utama flags; otherwise the ratings are grouped per RHK here.
        """
        plan = self.rhk_plan
        if plan is None or any(map(dict.__contains__, ratings, repeat("indicator"))):
            return None
        try:
            ids = tuple(map(_RHK_ID, ratings))
        except KeyError:
            return None
        flags = tuple(map(dict.get, ratings, repeat("utama")))
        if not _STR.issuperset(map(type, ids)) or not _FLAGS.issuperset(map(type, flags)):
            return None
        single = len(set(ids)) == len(ids)
        key = (pairs, flags)
        answer: RhkCounts | _Item | None = plan.rhk_sets.get(key) if single else None
        if answer is None:
            groups: dict[str, list[tuple[Any, Any, bool]]] = {}
            utama = cast(tuple[bool, ...], flags)  # their types were checked above
            for rhk_id, (rater, value), flag in zip(ids, pairs, utama, strict=True):
                groups.setdefault(rhk_id, []).append((rater, value, flag))
            counts: list[Any] = [0] * (2 * len(plan.levels)) if plan.ordered else []
            kinds: list[str] = []
            given: list[tuple[int, _Item]] = []
            for position, triples in enumerate(groups.values()):
                item_key = tuple(triples)
                try:
                    item = plan.items.get(item_key)
                except TypeError:  # an unhashable value
                    return None
                if item is None:
                    item = _bounded(plan.items, item_key, self._combine(plan, None, item_key))
                if item is _REJECTED:
                    break
                if item.value is None:
                    pass
                elif plan.ordered:
                    rank = int(item.value + 0.5 + _EPS)
                    counts[(0 if item.utama else len(plan.levels)) + rank - 1] += 1
                else:  # numeric: each RHK's value with its group, in first rating order
                    counts.append((item.utama, item.value))
                kinds += item.kinds
                if item.input:
                    given.append((position, item))
            else:
                answer = (tuple(counts), tuple(kinds), tuple(given))
            if single:
                _bounded(plan.rhk_sets, key, answer if answer is not None else _REJECTED)
            if answer is None:
                return None
            if given:
                order = tuple(groups)
                for position, item in given:
                    _add_input(inputs, plan.name, order[position], item)
            return answer
        if isinstance(answer, _Item):  # `_REJECTED`, the only item kept in `rhk_sets`
            return None
        for position, item in answer[2]:  # single: the positions are the ratings' own
            _add_input(inputs, plan.name, ids[position], item)
        return answer

    def _layout(self, codes: tuple[Any, ...]) -> _Layout:
        """Which positions of a rating list form each item, for one sequence of codes."""
        positions: dict[Any, list[int]] = {}
        rhk: list[int] = []
        for index, code in enumerate(codes):
            if code is None:
                rhk.append(index)
            else:
                positions.setdefault(code, []).append(index)
        owners = []
        pickers = []
        numeric: list[int] = []
        for code, where in positions.items():
            owner = self.by_code.get(code) if code.__class__ is str else None
            if owner is None:
                return _bounded(self.layouts, codes, _NO_LAYOUT)
            owners.append(owner)
            pickers.append(_pick(where))  # each code has at least one position
            if not owner.ordered:
                numeric += where
        if rhk and self.rhk_plan is not None and not self.rhk_plan.ordered:
            numeric += rhk
        memos = tuple(self.item_memos[code] for code in positions)
        layout = _Layout(
            tuple(positions),
            tuple(owners),
            memos,
            tuple(pickers),
            _picker(rhk),
            3 * (len(codes) - len(rhk)) + 4 * len(rhk),
            _picker(sorted(numeric)),
        )
        return _bounded(self.layouts, codes, layout)

    # -- items -> aspect facts --------------------------------------------------------------
    def _aspect(
        self,
        plan: _AspectPlan,
        items: Items,
        env: dict[str, Any],
        indicators: dict[str, Any],
        cache: bool,
    ) -> dict[str, Any]:
        """One aspect's facts, written to `env` and `indicators`, and its part of the result.

        The facts depend only on the aspect's key: its RHK counts (per group and level, or the
        (utama, value) pairs on a numeric scale) or its indicators' values in the ruleset's
        order. They are computed once per distinct key (`_facts`) and kept in the plan's memo
        when `cache`; every result gets its own copy of the kept dicts.
        """
        values, rhk_counts, _, _ = items
        key = rhk_counts if plan.rhk else tuple(map(values.get, plan.codes))
        facts = plan.facts.get(key) if cache else None
        if facts is None:
            facts = self._facts(plan, key)
            if cache:
                _bounded(plan.facts, key, facts)
        env.update(facts.env)
        indicators.update(facts.indicators)
        return _copy(facts.out, facts.shape)

    def _facts(self, plan: _AspectPlan, key: tuple[Any, ...]) -> _Facts:
        """Score, counts and shares of one aspect from its key (see `_aspect`).

        Sums run in a fixed order (RHK: first rating order, indicators: the ruleset's order) so
        that results are reproducible to the bit; on an ordered scale they add whole ranks, which
        floats hold exactly in any order.
        """
        env: dict[str, Any] = {}
        indicators: dict[str, Any] = {}
        out: dict[str, Any]
        if plan.rhk and plan.ordered:
            size = len(plan.levels)
            groups = (list(key[:size]), list(key[size:]))
            counts = [u + t for u, t in zip(*groups, strict=True)]
            total = sum(counts)
            env[plan.total_key] = total
            ranked = sum(rank * n for rank, n in enumerate(counts, 1))
            out = {"score": round(ranked / total, 4) if total else None, "total": total}
            out["count"], out["share"] = _counts(
                plan.group_keys[0], plan.levels, counts, total, env
            )
            for name, keys, group in zip(
                ("utama", "tambahan"), plan.group_keys[1:], groups, strict=True
            ):
                group_total = sum(group)
                count, share = _counts(keys, plan.levels, group, group_total, env)
                out[name] = {"total": group_total, "count": count, "share": share}
        elif plan.rhk:
            scores: list[list[float]] = [[], [], []]  # all, utama, tambahan
            for utama, value in key:
                value = round(value, 4)
                scores[0].append(value)
                scores[1 if utama else 2].append(value)
            env[plan.total_key] = len(key)
            out = {}
            for name, score_keys, group_scores in zip(
                ("", "utama", "tambahan"), plan.score_keys, scores, strict=True
            ):
                facts = _scores(score_keys, group_scores, env)
                if name:
                    out[name] = facts
                else:
                    out.update(facts)
        else:
            rated = [
                (code, value, w)
                for (code, w), value in zip(plan.weights.items(), key, strict=True)
                if value is not None
            ]
            total = len(rated)
            env[plan.total_key] = total
            num = den = 0.0
            counts = [0] * len(plan.levels)
            for code, value, w in rated:
                if plan.ordered:  # the value is the indicator's rank
                    counts[value - 1] += 1
                    indicators[code] = plan.levels[value - 1]
                else:
                    value = round(value, 4)
                    indicators[code] = value
                env[plan.indicator_keys[code]] = value
                num += w * value
                den += w
            out = {"score": round(num / den, 4) if den else None, "total": total}
            if plan.ordered:
                out["count"], out["share"] = _counts(
                    plan.group_keys[0], plan.levels, counts, total, env
                )
        if out["score"] is not None:
            env[plan.score_key] = out["score"]
        read = tuple((k, v) for k, v in env.items() if k in self.needed)  # what rules read
        return _Facts(out, read, tuple(indicators.items()))

    # -- input facts ------------------------------------------------------------------------
    def _inputs(self, employee: dict[str, Any], env: dict[str, Any], issues: list[str]) -> None:
        """The input's own facts (`employee.*`, `unit.*`, `history.*`, `period.*`) that rules
        read, encoded; a value of the wrong type or not among the known ones is an issue."""
        for section, specs in self.input_sections:
            container = employee.get(section)
            if container.__class__ is not dict and not isinstance(container, dict):
                continue
            for path, field, kind, table in specs:
                value = container.get(field)
                if value is None:
                    continue
                if kind == "level":
                    try:
                        encoded = table.get(value)
                    except TypeError:  # an unhashable value is no level name
                        encoded = None
                elif kind == "number":
                    ok = isinstance(value, int | float) and value.__class__ is not bool
                    encoded = value if ok else None
                elif kind == "bool":
                    encoded = (1 if value else 0) if value.__class__ is bool else None
                else:
                    ok = isinstance(value, str) and (table is None or value in table)
                    encoded = value if ok else None
                if encoded is None:
                    issues.append(f"Nilai '{value}' tidak sesuai untuk '{path}'.")
                    continue
                env[path] = encoded

    # -- one employee -----------------------------------------------------------------------
    def evaluate_one(self, employee: Any, cache: bool, explain: bool) -> dict[str, Any]:
        if not isinstance(employee, dict):
            raise InputError("Setiap pegawai harus berupa pemetaan (objek JSON).")
        issues: list[str] = []
        env: dict[str, Any] = {}
        ratings = employee.get("ratings")
        # the fast reading (memos per layout) when it applies; otherwise, or when it declines,
        # the plain one, which also finds every problem of the ratings
        items = (cache and self._items_cached(ratings, explain)) or self._items(ratings, issues)
        counts, inputs = items[2], items[3]
        if self.count_raters:
            for kind in self.model.raters:
                env[f"raters.{kind}.count"] = counts.get(kind, 0)
        if self.input_paths:
            self._inputs(employee, env, issues)
        basis = read_basis(employee, issues) if self.model.angka_kredit_percent else None
        given = employee.get("levels")
        if given is not None and not isinstance(given, dict):
            issues.append("'levels' harus berupa pemetaan aspek: tingkat.")
            given = None
        indicators: dict[str, Any] = {}
        aspects: dict[str, Any] = {}
        fired: list[str] = []
        explanation: list[dict[str, Any]] = []
        missing: list[str] = []
        for plan in self.aspects:
            out = self._aspect(plan, items, env, indicators, cache)
            given_input = inputs.get(plan.name) if explain else None
            if given_input:  # only where other kinds said something: most aspects have none
                out["input"] = given_input
            complete = out["total"] >= plan.minimum
            direct = given.get(plan.name) if given else None
            if direct is not None and direct not in plan.levels:
                issues.append(f"Tingkat '{direct}' tidak ada di skala aspek '{plan.name}'.")
                direct = None
            proposed = None
            # an incomplete aspect asks only its `without_ratings` rules (a unit's leader)
            stage = plan.stage if complete else plan.unrated
            if stage is not None:
                hits = stage.verdict(env, cache)
                if hits:
                    proposed = hits[0].outcome
                    fired.append(hits[0].name)
                    if explain:
                        explanation.append(hits[0].explanation())
            level = direct if direct is not None else proposed
            out["level"] = level
            out["proposed"] = proposed
            out["source"] = "penilai" if direct is not None else ("aturan" if proposed else None)
            if direct is not None and explain:
                explanation.append(
                    {
                        "rule": f"penilai.{plan.name}",
                        "stage": "levels",
                        "key": plan.name,
                        "inputs": {f"levels.{plan.name}": direct},
                        "condition": None,
                        "outcome": direct,
                        "proposed": proposed,
                        "text": f"Tingkat {plan.name} ditetapkan penilai: '{direct}' "
                        f"(usulan aturan: '{proposed or '-'}').",
                    }
                )
            if level is not None and plan.levels:
                env[plan.level_key] = plan.levels.index(level) + 1
            if plan.required and level is None:
                missing.append(
                    f"{plan.name} baru {out['total']} dari minimal {plan.minimum} butir dinilai"
                )
            aspects[plan.name] = out
        status, message = EvaluationStatus.COMPLETE.value, None
        if issues:
            issues = list(dict.fromkeys(issues))
            status = EvaluationStatus.INVALID.value
            message = "Tidak valid: " + " ".join(issues)
        elif missing:
            status = EvaluationStatus.INCOMPLETE.value
            message = "Belum lengkap: " + "; ".join(missing) + "."
        result: dict[str, Any] = {
            "nip": employee.get("nip"),
            "status": status,
            "message": message,
            "aspects": aspects,
            "indicators": indicators,
            "predicate": None,
            "awards": [],
            "training": [],
            "consequences": {},
            "fired": fired,
            "explanation": explanation,
            "issues": issues,
        }
        if status != EvaluationStatus.COMPLETE:
            return result
        self._decide_rest(result, env, cache, explain, basis)
        return result

    def _decide_rest(
        self,
        result: dict[str, Any],
        env: dict[str, Any],
        cache: bool,
        explain: bool,
        basis: Basis | None,
    ) -> None:
        fired: list[str] = result["fired"]
        explanation: list[dict[str, Any]] = result["explanation"]
        predicate = None
        stage = self.predicate_stage
        if stage is not None:
            hits = stage.verdict(env, cache)
            if hits:
                predicate = hits[0].outcome
                env["predicate"] = self.pred_types.encode(predicate)
                fired.append(hits[0].name)
                if explain:
                    explanation.append(hits[0].explanation())
        result["predicate"] = predicate
        for stage, field in ((self.awards_stage, "awards"), (self.training_stage, "training")):
            if stage is None:
                continue
            for hit in stage.verdict(env, cache):
                result[field].append(hit.outcome)
                fired.append(hit.name)
                if explain:
                    explanation.append(hit.explanation())
        consequences: dict[str, Any] = {}
        if basis is not None and predicate is not None:
            credit = self.credits.get((predicate, basis))
            if credit is None:
                credit = self.credits[(predicate, basis)] = self._angka_kredit(predicate, basis)
            consequences.update(credit)  # copied: its values are numbers or None
        if self.model.components:
            parts: dict[str, float | None] = {}
            total: float | None = 0.0
            for component in self.model.components:
                percent: float | None = None
                if component.by_predicate:
                    table = self.by_predicate[component.name]
                    percent = table.get(predicate) if predicate else None
                else:
                    stage = self.band_stages[component.name]
                    hits = stage.verdict(env, cache)
                    if hits:
                        percent = hits[0].outcome
                        fired.append(hits[0].name)
                        if explain:
                            explanation.append(hits[0].explanation())
                parts[component.name] = percent
                if percent is None or total is None:
                    total = None
                else:
                    total += component.share * percent / 100
            consequences["allowance"] = {
                "components": parts,
                "percent": round(total, 4) if total is not None else None,
            }
        result["consequences"] = consequences

    def _angka_kredit(self, predicate: str, basis: Basis) -> dict[str, Any]:
        """`angka_kredit` (null when it cannot be computed) and, for a fungsional only, the
        percentage it comes from."""
        if not basis.fungsional:
            return {"angka_kredit": None}
        percent = self.model.angka_kredit_percent[predicate]
        koefisien = self.model.angka_kredit_koefisien.get(basis.jenjang or "")
        value = None
        if koefisien is not None and basis.months is not None:
            value = angka_kredit(percent, koefisien, basis.months)
        return {"angka_kredit_percent": percent, "angka_kredit": value}

    def evaluate(
        self,
        employees: Iterable[Any],
        cache: bool = True,
        explain: bool = True,
        bulk: bool = False,
    ) -> list[dict[str, Any]]:
        if isinstance(employees, dict | str | bytes):
            raise InputError("'employees' harus berupa daftar pegawai.")
        with _collector_paused() if bulk else nullcontext():
            return [self.evaluate_one(e, cache, explain) for e in employees]


_collector = threading.Lock()
_collector_users = 0
_collector_was_enabled = False


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a bulk batch is evaluated (a caller asks
    for it: a close's chunk, a simulation; not one employee inside a web request, for whom the
    freeze below would walk the whole heap of the process to save nothing).

    Results are trees (no reference cycles), freed by reference counting alone; but each result
    adds some twenty tracked containers, and the collector's full passes over the growing heap
    took about half the time of a 40,000-employee batch. Counted, so that overlapping batches
    in several threads restore the collector once, when the last one ends.

    At that point the batch's containers are still in the youngest generation, and the first
    allocation after `gc.enable()` would examine every one of them (a million for 40,000
    employees: about an eighth of the batch's time) only to find no cycle. Freezing and
    unfreezing moves them to the oldest generation without that pass; they are examined with
    the rest of the old heap in the collector's next full pass, if they are still alive then.
    Skipped when something else (a pre-forking server) keeps objects frozen.
    """
    global _collector_users, _collector_was_enabled
    with _collector:
        if _collector_users == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _collector_users += 1
    try:
        yield
    finally:
        with _collector:
            _collector_users -= 1
            if _collector_users == 0 and _collector_was_enabled:
                if gc.get_freeze_count() == 0:
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


def _collector_after_fork() -> None:
    """A child forked during a batch starts with no batch running and the collector restored."""
    global _collector, _collector_users
    _collector = threading.Lock()
    if _collector_users and _collector_was_enabled:
        gc.enable()
    _collector_users = 0


os.register_at_fork(after_in_child=_collector_after_fork)
