"""Runtime: employees' ratings -> facts -> durable-rules decisions -> results with explanations.

Arithmetic (averaging ratings, counting levels) is done here in Python; every decision (a level
proposal, the predikat cell, awards, training, allowance bands) is made by durable-rules. Because
each condition compares one fact with constants, a rule's outcome is constant between consecutive
constants of each fact: the runtime maps facts to those intervals and asks durable-rules once per
distinct combination per stage, keeping the answer in a bounded table (`cache=False` asks every
time,
which the tests use to prove both paths agree).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from app.engine import host
from app.engine.compiler import MARKER, Stage, compile_ruleset, fact_key
from app.engine.conditions import paths_of
from app.engine.errors import InputError
from app.engine.model import PREDICATE_COLUMNS, PREDICATE_ROWS, RATER_KINDS, FactType, Ruleset

CACHE_LIMIT = 200_000  # decisions kept per stage; the table is cleared when it grows beyond this
_OTHER = "\x00lain"  # the class of any text that equals no constant of its fact
_EPS = 1e-9

Classifier = Callable[[Any], Any]


def _classifier(ftype: FactType, constants: tuple[Any, ...]) -> Classifier:
    """Maps an encoded fact value to its decision class for one stage."""
    if ftype.kind in ("level", "bool"):
        return lambda v: v
    if ftype.kind == "number":
        consts = tuple(float(c) for c in constants)
        size = len(consts)

        def number(v: Any) -> Any:
            if v is None:
                return None
            i = bisect_left(consts, v)
            return 2 * i + 1 if i < size and consts[i] == v else 2 * i

        return number
    known = frozenset(constants)
    return lambda v: v if v is None or v in known else _OTHER


class _StageRuntime:
    """A stage with its classifiers, one decision table per rule, and explanation inputs.

    Each rule's truth depends only on the classes of the facts that rule reads, so each rule keeps
    its own table keyed by those classes; one durable-rules call (all rules see the same fact)
    answers every rule of the stage at once and fills all tables.
    """

    def __init__(self, stage: Stage, types: dict[str, FactType]) -> None:
        self.stage = stage
        self.paths = stage.paths
        self.keys = tuple(fact_key(p) for p in stage.paths)
        self.classifiers = tuple(
            _classifier(types[p], stage.constants.get(p, ())) for p in stage.paths
        )
        self.rule_paths = {r.name: tuple(paths_of(r.when)) for r in stage.rules}
        self.getters = tuple(
            _getter([self.paths.index(p) for p in self.rule_paths[r.name]]) for r in stage.rules
        )
        self.names = tuple(r.name for r in stage.rules)
        self.tables: tuple[dict[Any, bool], ...] = tuple({} for _ in stage.rules)
        self.first_match = stage.first_match
        self.pairs = tuple(zip(self.classifiers, self.paths, strict=True))
        self.fact_keys = tuple(zip(self.keys, self.paths, strict=True))
        self.whole: dict[tuple[Any, ...], tuple[int, ...]] = {}

    def decide(self, env: dict[str, Any], cache: bool) -> tuple[int, ...]:
        """Indices of the rules that hold for `env`, in rule order (only the first if first-match).

        Lookup order: the whole stage's table (one key for all its facts), then each rule's
        table, then durable-rules, whose answer fills both.
        """
        if cache:
            classes = [c(env.get(p)) for c, p in self.pairs]
            whole = tuple(classes)
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
                if len(table) >= CACHE_LIMIT:
                    table.clear()
                table[getter(classes)] = holds
            self._remember(whole, indices)
        return indices

    def _remember(self, key: tuple[Any, ...], indices: tuple[int, ...]) -> tuple[int, ...]:
        if len(self.whole) >= CACHE_LIMIT:
            self.whole.clear()
        self.whole[key] = indices
        return indices


def _getter(indices: list[int]) -> Callable[[list[Any]], Any]:
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


class _AspectPlan:
    """What the runtime needs to know about one aspect, precomputed."""

    def __init__(self, model: Ruleset, name: str, index: int) -> None:
        aspect = model.aspects[name]
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


class Runtime:
    """A compiled ruleset ready to evaluate; safe to share between threads."""

    def __init__(self, model: Ruleset) -> None:
        self.model = model
        self.stages = compile_ruleset(model)
        types = model.fact_types
        self.runtimes = [_StageRuntime(s, types) for s in self.stages]
        self.level_stages = {r.stage.key: r for r in self.runtimes if r.stage.kind == "levels"}
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
        counted = [k for k in RATER_KINDS if model.raters.get(k, 0) > 0]
        self.slots = {k: 2 * i for i, k in enumerate(counted)}
        self.slot_weights = tuple((2 * i, float(model.raters[k])) for i, k in enumerate(counted))
        self.width = 2 * len(counted)
        self.silent_kinds = {k for k, w in model.raters.items() if w == 0}
        self.types = types
        needed: set[str] = set()
        for stage in self.stages:
            needed.update(stage.paths)
        self.needed = needed
        self.input_paths = [
            p for p in sorted(needed) if p.split(".")[0] in ("employee", "unit", "history")
        ]
        self.count_raters = any(p.startswith("raters.") for p in needed)
        self.pred_types = types["predicate"]

    # -- ratings -> items -------------------------------------------------------------------
    def _items(
        self, ratings: Any, issues: list[str]
    ) -> tuple[dict[Any, float], set[Any], dict[str, int]]:
        """Combined value of each rated item: mean per rater kind, then weighted over kinds.

        Per item, a flat list holds (sum, count) per counted rater kind; the kinds are combined in
        the fixed order of `RATER_KINDS`, so the float result never depends on the ratings' order.
        """
        slots = self.slots
        by_code = self.by_code
        rhk_plan = self.rhk_plan
        width = self.width
        count_raters = self.count_raters
        acc: dict[Any, list[float]] = {}
        utama: set[Any] = set()
        counts: dict[str, int] = {}
        if not isinstance(ratings, list):
            if ratings is not None:
                issues.append("'ratings' harus berupa daftar; diabaikan.")
            ratings = ()
        for r in ratings:
            # Fast path for well-formed ratings; anything unusual goes to `_reject`, which says why.
            try:
                slot = slots[r["rater"]]
                value = r["value"]
                if "indicator" in r:
                    key: Any = r["indicator"]
                    plan = by_code[key]
                else:
                    rhk = r["rhk"]
                    plan = rhk_plan
                    if rhk is None or plan is None:
                        raise KeyError("rhk")
                    key = ("rhk", str(rhk))
                ranks = plan.ranks
                if ranks is not None:
                    v = ranks[value]
                elif type(value) in (int, float) and plan.low <= value <= plan.high:
                    v = value
                else:
                    raise KeyError("value")
            except (KeyError, TypeError):
                self._reject(r, issues)
                continue
            if key.__class__ is tuple and r.get("utama") is True:
                utama.add(key)
            if count_raters:
                kind = r["rater"]
                counts[kind] = counts.get(kind, 0) + 1
            sums = acc.get(key)
            if sums is None:
                sums = acc[key] = [0.0] * width
            sums[slot] += v
            sums[slot + 1] += 1
        values: dict[Any, float] = {}
        slot_weights = self.slot_weights
        for key, sums in acc.items():
            num = den = 0.0
            for slot, w in slot_weights:
                n = sums[slot + 1]
                if n:
                    num += w * (sums[slot] / n)
                    den += w
            values[key] = num / den
        return values, utama, counts

    def _reject(self, r: Any, issues: list[str]) -> None:
        """Why a rating was left out (silently for raters whose weight is 0)."""
        if not isinstance(r, dict):
            issues.append("Penilaian yang bukan pemetaan diabaikan.")
            return
        kind = r.get("rater")
        if isinstance(kind, str) and kind in self.silent_kinds:
            return
        if not isinstance(kind, str) or kind not in self.slots:
            issues.append(f"Jenis penilai '{kind}' tidak dikenal; penilaian diabaikan.")
            return
        code = r.get("indicator")
        if code is not None:
            if not isinstance(code, str) or code not in self.by_code:
                issues.append(f"Indikator '{code}' tidak ada di aturan; penilaian diabaikan.")
                return
        elif r.get("rhk") is None or self.rhk_plan is None:
            issues.append("Penilaian tanpa indikator atau RHK yang dikenal diabaikan.")
            return
        issues.append(f"Nilai '{r.get('value')}' tidak ada di skala untuk '{code or r['rhk']}'.")

    # -- items -> aspect facts --------------------------------------------------------------
    @staticmethod
    def _aspect(
        plan: _AspectPlan,
        values: dict[Any, float],
        utama: set[Any],
        env: dict[str, Any],
        indicators: dict[str, Any],
    ) -> dict[str, Any]:
        """Score, counts and shares of one aspect; sums run in a fixed order (RHK: first rating
        order, indicators: the ruleset's order) so that results are reproducible to the bit."""
        if plan.rhk:
            items = [(k, v, 1.0) for k, v in values.items() if type(k) is tuple]
        else:
            items = [(c, values[c], w) for c, w in plan.weights.items() if c in values]
        total = len(items)
        env[plan.total_key] = total
        num = den = 0.0
        out: dict[str, Any]
        if plan.ordered:
            levels = plan.levels
            counts = [0] * len(levels)
            group_counts = ([0] * len(levels), [0] * len(levels)) if plan.rhk else None
            ind_keys = plan.indicator_keys
            for key, value, w in items:
                rank = int(value + 0.5 + _EPS)
                counts[rank - 1] += 1
                num += w * rank
                den += w
                if group_counts is not None:
                    group_counts[0 if key in utama else 1][rank - 1] += 1
                else:
                    indicators[key] = levels[rank - 1]
                    env[ind_keys[key]] = rank
            out = {"score": round(num / den, 4) if den else None, "total": total}
            out["count"], out["share"] = _counts(plan.group_keys[0], levels, counts, total, env)
            if group_counts is not None:
                for name, keys, group in zip(
                    ("utama", "tambahan"), plan.group_keys[1:], group_counts, strict=True
                ):
                    group_total = sum(group)
                    count, share = _counts(keys, levels, group, group_total, env)
                    out[name] = {"total": group_total, "count": count, "share": share}
        else:
            ind_keys = plan.indicator_keys
            for code, value, w in items:
                value = round(value, 4)
                indicators[code] = value
                env[ind_keys[code]] = value
                num += w * value
                den += w
            out = {"score": round(num / den, 4) if den else None, "total": total}
        if out["score"] is not None:
            env[plan.score_key] = out["score"]
        return out

    # -- input facts ------------------------------------------------------------------------
    def _inputs(self, employee: dict[str, Any], env: dict[str, Any], issues: list[str]) -> None:
        for path in self.input_paths:
            section, _, field = path.partition(".")
            container = employee.get(section)
            if not isinstance(container, dict) or field not in container:
                continue
            value = container[field]
            if value is None:
                continue
            ftype = self.types[path]
            ok = (
                (
                    ftype.kind == "number"
                    and isinstance(value, int | float)
                    and not isinstance(value, bool)
                )
                or (ftype.kind == "bool" and isinstance(value, bool))
                or (ftype.kind == "text" and isinstance(value, str))
                or (ftype.kind == "level" and value in ftype.levels)
            )
            if not ok:
                issues.append(f"Nilai '{value}' tidak sesuai untuk '{path}'; dianggap tidak ada.")
                continue
            env[path] = ftype.encode(value)

    # -- one employee -----------------------------------------------------------------------
    def evaluate_one(self, employee: Any, cache: bool, explain: bool) -> dict[str, Any]:
        if not isinstance(employee, dict):
            raise InputError("Setiap pegawai harus berupa pemetaan (objek JSON).")
        issues: list[str] = []
        env: dict[str, Any] = {}
        values, utama, counts = self._items(employee.get("ratings"), issues)
        if self.count_raters:
            for kind in self.model.raters:
                env[f"raters.{kind}.count"] = counts.get(kind, 0)
        if self.input_paths:
            self._inputs(employee, env, issues)
        given = employee.get("levels")
        if given is not None and not isinstance(given, dict):
            issues.append("'levels' harus berupa pemetaan aspek: tingkat; diabaikan.")
            given = None
        indicators: dict[str, Any] = {}
        aspects: dict[str, Any] = {}
        fired: list[str] = []
        explanation: list[dict[str, Any]] = []
        missing: list[str] = []
        for plan in self.aspects:
            out = self._aspect(plan, values, utama, env, indicators)
            complete = out["total"] >= plan.minimum
            direct = given.get(plan.name) if given else None
            if direct is not None and direct not in plan.levels:
                issues.append(f"Tingkat '{direct}' tidak ada di skala aspek '{plan.name}'.")
                direct = None
            proposed = None
            stage = self.level_stages.get(plan.name)
            if stage is not None and complete:
                hit = stage.decide(env, cache)
                if hit:
                    rule = stage.stage.rules[hit[0]]
                    proposed = rule.outcome
                    fired.append(rule.name)
                    if explain:
                        explanation.append(
                            self._explain(
                                stage,
                                rule,
                                env,
                                "levels",
                                f"Tingkat {plan.name} diusulkan '{proposed}'",
                            )
                        )
            level = direct if direct is not None else proposed
            out["level"] = level
            out["proposed"] = proposed
            out["source"] = "penilai" if direct is not None else ("aturan" if proposed else None)
            if direct is not None and explain:
                explanation.append(
                    {
                        "rule": f"penilai.{plan.name}",
                        "stage": "levels",
                        "inputs": {f"levels.{plan.name}": direct},
                        "text": f"Tingkat {plan.name} ditetapkan penilai: '{direct}' "
                        f"(usulan aturan: '{proposed or '-'}').",
                    }
                )
            if level is not None and plan.levels:
                env[f"{plan.name}.level"] = plan.levels.index(level) + 1
            if plan.required and not complete and direct is None:
                missing.append(
                    f"{plan.name} baru {out['total']} dari minimal {plan.minimum} butir dinilai"
                )
            aspects[plan.name] = out
        result: dict[str, Any] = {
            "nip": employee.get("nip"),
            "status": "lengkap" if not missing else "belum_lengkap",
            "message": None if not missing else "Belum lengkap: " + "; ".join(missing) + ".",
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
        if missing:
            return result
        self._decide_rest(result, env, cache, explain)
        return result

    def _decide_rest(
        self, result: dict[str, Any], env: dict[str, Any], cache: bool, explain: bool
    ) -> None:
        fired: list[str] = result["fired"]
        explanation: list[dict[str, Any]] = result["explanation"]
        predicate = None
        stage = self.predicate_stage
        if stage is not None:
            hit = stage.decide(env, cache)
            if hit:
                rule = stage.stage.rules[hit[0]]
                predicate = rule.outcome
                env["predicate"] = self.pred_types.encode(predicate)
                fired.append(rule.name)
                if explain:
                    explanation.append(
                        self._explain(
                            stage,
                            rule,
                            env,
                            "predicate",
                            f"Predikat '{predicate}' dari tabel "
                            f"{PREDICATE_ROWS} × {PREDICATE_COLUMNS}",
                        )
                    )
        result["predicate"] = predicate
        for stage, field, words in (
            (self.awards_stage, "awards", "Penghargaan"),
            (self.training_stage, "training", "Rekomendasi pelatihan"),
        ):
            if stage is None:
                continue
            for index in stage.decide(env, cache):
                rule = stage.stage.rules[index]
                result[field].append(rule.outcome)
                fired.append(rule.name)
                if explain:
                    explanation.append(
                        self._explain(stage, rule, env, field, f"{words} '{rule.outcome}'")
                    )
        consequences: dict[str, Any] = {}
        if self.model.angka_kredit_percent and predicate is not None:
            consequences["angka_kredit_percent"] = self.model.angka_kredit_percent[predicate]
        if self.model.components:
            parts: dict[str, float | None] = {}
            total: float | None = 0.0
            for component in self.model.components:
                percent: float | None = None
                if component.by_predicate:
                    percent = dict(component.by_predicate).get(predicate) if predicate else None
                else:
                    stage = self.band_stages[component.name]
                    hit = stage.decide(env, cache)
                    if hit:
                        rule = stage.stage.rules[hit[0]]
                        percent = rule.outcome
                        fired.append(rule.name)
                        if explain:
                            explanation.append(
                                self._explain(
                                    stage,
                                    rule,
                                    env,
                                    "allowance",
                                    f"Komponen TPP '{component.name}' {percent:g}%",
                                )
                            )
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

    def _explain(
        self, stage: _StageRuntime, rule: Any, env: dict[str, Any], kind: str, outcome: str
    ) -> dict[str, Any]:
        types = self.types
        inputs = {p: types[p].decode(env.get(p)) for p in stage.rule_paths[rule.name]}
        reason = "tidak ada aturan sebelumnya yang berlaku" if not inputs else rule.text
        return {
            "rule": rule.name,
            "stage": kind,
            "inputs": inputs,
            "text": f"{outcome} karena {reason}.",
        }

    def evaluate(
        self, employees: Iterable[Any], cache: bool = True, explain: bool = True
    ) -> list[dict[str, Any]]:
        if isinstance(employees, dict | str | bytes):
            raise InputError("'employees' harus berupa daftar pegawai.")
        return [self.evaluate_one(e, cache, explain) for e in employees]
