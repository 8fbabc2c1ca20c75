"""An independent plain-Python calculation of the rule language (docs/rules.md).

It reads the YAML with `yaml.safe_load`, evaluates conditions directly in Python and shares no code
with `app.engine`. Property tests compare the engine with it; the benchmark uses it as the floor.
It assumes a valid ruleset (validation is the engine's job).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import yaml

PREDICATES = ["sangat_kurang", "kurang", "butuh_perbaikan", "baik", "sangat_baik"]
ORG_PREDICATES = ["sangat_kurang", "kurang", "butuh_perbaikan", "baik", "istimewa"]
KINDS = ["supervisor", "peer", "self", "public"]
JABATAN = ["jpt", "administrator", "pengawas", "fungsional", "pelaksana"]
JENJANG = ["pemula", "terampil", "mahir", "penyelia"]
JENJANG += ["ahli_pertama", "ahli_muda", "ahli_madya", "ahli_utama"]
MONTHS = {"bulanan": 1, "triwulanan": 3, "semesteran": 6, "tahunan": 12}
INPUT_FACTS = {
    "employee.jabatan": JABATAN,
    "employee.jenjang": JENJANG,
    "employee.golongan": None,
    "employee.unit": None,
    "employee.status": ["PNS", "PPPK"],
    "employee.is_unit_head": "bool",
    "unit.predicate": ORG_PREDICATES,
    "history.sangat_baik_streak": "number",
    "history.baik_years": "number",
    "history.previous_predicate": PREDICATES,
    "period.kind": list(MONTHS),
    "period.months": "number",
}


class Oracle:
    """Evaluates employees with a ruleset text, the slow and obvious way."""

    def __init__(self, text: str, catalogue: list[dict] | None = None) -> None:
        self.doc = yaml.safe_load(text)
        self.catalogue = {e["code"]: e["raters"] for e in catalogue or []}
        self.scales = self.doc["scales"]
        self.raters = self.doc.get("raters", {"supervisor": 1})
        self.aspects = self.doc["aspects"]
        self.code_aspect = {}
        for name, spec in self.aspects.items():
            codes = spec.get("indicators", [])
            for code in codes:
                self.code_aspect[code] = name
        self.read_paths = set()  # the input facts some condition reads (only those are checked)
        for rules in (self.doc.get("levels") or {}).values():
            for rule in rules:
                self._paths(rule.get("when") or {})
        for section in ("awards", "training"):
            for rule in self.doc.get(section) or []:
                self._paths(rule["when"])
        for spec in ((self.doc.get("consequences") or {}).get("allowance") or {}).values():
            for band in spec if isinstance(spec, list) else []:
                self._paths(band.get("when") or {})

    def _paths(self, cond: dict) -> None:
        for key, value in cond.items():
            if key in ("all", "any"):
                for item in value:
                    self._paths(item)
            elif key == "not":
                self._paths(value)
            else:
                self.read_paths.add(key)

    # -- facts ----------------------------------------------------------------------------
    def levels_of(self, aspect: str) -> list[str]:
        scale = self.scales[self.aspects[aspect]["scale"]]
        return scale if isinstance(scale, list) else scale.get("levels", [])

    def ordered(self, aspect: str) -> bool:
        return isinstance(self.scales[self.aspects[aspect]["scale"]], list)

    def fact_order(self, path: str) -> list[str] | None:
        """The order of a level-like fact, or None for numbers and text."""
        if path in ("predicate", "history.previous_predicate"):
            return PREDICATES
        if path == "unit.predicate":
            return ORG_PREDICATES
        head = path.split(".")[0]
        if head == "indicator":
            aspect = self.code_aspect[path.split(".")[1]]
            return self.levels_of(aspect) if self.ordered(aspect) else None
        if head in self.aspects and path.endswith(".level"):
            return self.levels_of(head)
        return None

    def holds(self, cond: dict, facts: dict[str, Any], aspect: str | None) -> bool:
        result = True
        for key, value in cond.items():
            if key == "all":
                ok = all(self.holds(c, facts, aspect) for c in value)
            elif key == "any":
                ok = any(self.holds(c, facts, aspect) for c in value)
            elif key == "not":
                ok = not self.holds(value, facts, aspect)
            else:
                path = key
                if aspect is not None and key.split(".")[0] not in self.aspects:
                    if f"{aspect}.{key}" in facts or self._aspect_path(aspect, key):
                        path = f"{aspect}.{key}"
                ops = value if isinstance(value, dict) else {"eq": value}
                ok = all(self.compare(path, facts.get(path), op, v) for op, v in ops.items())
            result = result and ok
        return result

    def _aspect_path(self, aspect: str, key: str) -> bool:
        return key.split(".")[0] in ("score", "total", "count", "share", "utama", "tambahan")

    def compare(self, path: str, actual: Any, op: str, expected: Any) -> bool:
        if actual is None:
            return False
        order = self.fact_order(path)
        if order is not None:
            actual = order.index(actual)
            expected = (
                [order.index(v) for v in expected]
                if isinstance(expected, list)
                else order.index(expected)
            )
        return {
            "eq": lambda: actual == expected,
            "ne": lambda: actual != expected,
            "gt": lambda: actual > expected,
            "gte": lambda: actual >= expected,
            "lt": lambda: actual < expected,
            "lte": lambda: actual <= expected,
            "in": lambda: actual in expected,
            "not_in": lambda: actual not in expected,
        }[op]()

    # -- evaluation -----------------------------------------------------------------------
    def deciding(self, aspect: str) -> list[str]:
        """The rater kinds whose ratings decide an aspect (docs/rules.md §4)."""
        listed = self.aspects[aspect].get("raters")
        positive = [k for k, w in self.raters.items() if w > 0]
        return [k for k in KINDS if k in (listed if listed is not None else positive)]

    def combine(self, by_kind: dict[str, list[float]], kinds: list[str]) -> float:
        """Mean per kind, weighted over the deciding kinds present, in the documented order."""
        num = den = 0.0
        for kind in KINDS:
            if kind in by_kind and kind in kinds:
                values = by_kind[kind]
                num += self.raters[kind] * (sum(values) / len(values))
                den += self.raters[kind]
        return num / den

    def on_scale(self, aspect: str, value: Any) -> float | None:
        if self.ordered(aspect):
            levels = self.levels_of(aspect)
            return levels.index(value) + 1 if isinstance(value, str) and value in levels else None
        scale = self.scales[self.aspects[aspect]["scale"]]
        ok = (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and scale["min"] <= value <= scale["max"]
        )
        return value if ok else None

    def read(self, employee: dict[str, Any]) -> tuple[dict, set, bool]:
        """Accepted ratings per aspect, item and kind; the utama RHK; whether any was wrong."""
        items: dict[str, dict[Any, dict[str, list[float]]]] = {a: {} for a in self.aspects}
        utama: set[Any] = set()
        flags: dict[Any, bool] = {}
        seen: set[tuple] = set()
        wrong = False
        ratings = employee.get("ratings")
        if ratings is None:
            ratings = []
        if not isinstance(ratings, list):
            return items, utama, True
        rhk_aspect = next((a for a, s in self.aspects.items() if s.get("source") == "rhk"), None)
        for r in ratings:
            if not isinstance(r, dict):
                wrong = True
                continue
            kind = r.get("rater")
            if not isinstance(kind, str) or kind not in self.raters:
                wrong = True
                continue
            silent = self.raters[kind] == 0
            code, rhk = r.get("indicator"), r.get("rhk")
            problem = (code is None) == (rhk is None)
            aspect, key = None, None
            if not problem and code is not None:
                aspect = self.code_aspect.get(code) if isinstance(code, str) else None
                key = code
                allowed = self.catalogue.get(code) if aspect is not None else None
                problem = aspect is None or (allowed is not None and kind not in allowed)
            elif not problem:
                aspect = rhk_aspect
                ok_id = isinstance(rhk, str | int) and not isinstance(rhk, bool)
                key = ("rhk", str(rhk))
                problem = aspect is None or not ok_id or not isinstance(r.get("utama"), bool)
            value = None if problem else self.on_scale(aspect, r.get("value"))
            if problem or value is None:
                wrong = wrong or not silent
                continue
            if not silent:
                rater_id = r.get("rater_id")
                if rater_id is not None and (
                    not isinstance(rater_id, str | int) or isinstance(rater_id, bool)
                ):
                    wrong = True
                    continue
                ident = (
                    (key, kind)
                    if kind in ("supervisor", "self")
                    else (key, kind, str(rater_id))
                    if rater_id is not None
                    else None
                )
                if ident is not None and ident in seen:
                    wrong = True
                    continue
                seen.add(ident)
                if isinstance(key, tuple):
                    if flags.setdefault(key, r["utama"]) != r["utama"]:
                        wrong = True
                        continue
                    if r["utama"]:
                        utama.add(key)
            items[aspect].setdefault(key, {}).setdefault(kind, []).append(value)
        return items, utama, wrong

    def input_facts(self, employee: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        facts: dict[str, Any] = {}
        wrong = False
        for path, kind in INPUT_FACTS.items():
            section, field = path.split(".")
            container = employee.get(section)
            value = container.get(field) if isinstance(container, dict) else None
            if value is None:
                continue
            valid = (
                (kind == "bool" and isinstance(value, bool))
                or (
                    kind == "number"
                    and isinstance(value, int | float)
                    and not isinstance(value, bool)
                )
                or (isinstance(kind, list) and value in kind)
                or (kind is None and isinstance(value, str))
            )
            if valid:
                facts[path] = value
            elif path in self.read_paths:
                wrong = True
        return facts, wrong

    def angka_kredit(self, employee: dict[str, Any], predicate: str) -> tuple[dict, bool]:
        """docs/rules.md §9: only a fungsional earns angka kredit (and sees the percentage)."""
        cons = self.doc.get("consequences") or {}
        if "angka_kredit" in cons:
            percent, koef = cons["angka_kredit"]["percent"], cons["angka_kredit"]["koefisien"]
        else:
            percent, koef = cons["angka_kredit_percent"], {}
        person = employee.get("employee")
        wrong = person is not None and not isinstance(person, dict)
        person = person if isinstance(person, dict) else {}
        jabatan, jenjang = person.get("jabatan"), person.get("jenjang")
        if jabatan is not None and jabatan not in JABATAN:
            wrong, jabatan = True, None
        if jenjang is not None and jenjang not in JENJANG:
            wrong, jenjang = True, None
        period = employee.get("period")
        if period is not None and not isinstance(period, dict):
            wrong, period = True, None
        period = period or {}
        kind, months = period.get("kind"), period.get("months")
        if kind is not None and kind not in list(MONTHS):
            wrong, kind = True, None
        if months is not None and (
            not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 12
        ):
            wrong, months = True, None
        if months is None and kind is not None:
            months = MONTHS[kind]
        if not (jabatan == "fungsional" or (jabatan is None and jenjang is not None)):
            return {"angka_kredit": None}, wrong
        value = None
        if jenjang in koef and months is not None:
            exact = Fraction(str(percent[predicate])) * Fraction(str(koef[jenjang])) * months
            hundredths = exact / 1200 * 100
            value = math.floor(hundredths + Fraction(1, 2)) / 100
        return {"angka_kredit_percent": percent[predicate], "angka_kredit": value}, wrong

    def evaluate(self, employee: dict[str, Any]) -> dict[str, Any]:
        items, utama, wrong = self.read(employee)
        facts, wrong_facts = self.input_facts(employee)
        wrong = wrong or wrong_facts
        counted = {k: 0 for k in self.raters}
        inputs: dict[str, dict] = {a: {} for a in self.aspects}
        values_of: dict[str, dict[Any, float]] = {}
        for aspect in self.aspects:
            kinds = self.deciding(aspect)
            values_of[aspect] = {}
            for key, by_kind in items[aspect].items():
                if any(k in kinds for k in by_kind):
                    values_of[aspect][key] = self.combine(by_kind, kinds)
                for kind, values in by_kind.items():
                    if kind in kinds:
                        counted[kind] += len(values)
                        continue
                    mean = sum(values) / len(values)
                    shown = (
                        self.levels_of(aspect)[int(mean + 0.5 + 1e-9) - 1]
                        if self.ordered(aspect)
                        else round(mean, 4)
                    )
                    label = key[1] if isinstance(key, tuple) else key
                    inputs[aspect].setdefault(kind, {})[label] = [shown, len(values)]
        for kind, n in counted.items():
            facts[f"raters.{kind}.count"] = n
        given = employee.get("levels")
        if given is not None and not isinstance(given, dict):
            wrong, given = True, None
        given = given or {}
        aspects_out: dict[str, Any] = {}
        fired: list[str] = []
        missing = False
        for aspect, spec in self.aspects.items():
            weights = spec.get("indicators", {})
            if isinstance(weights, list):
                weights = {c: 1 for c in weights}
            values = values_of[aspect]
            total = len(values)
            out: dict[str, Any] = {"total": total}
            if inputs[aspect]:
                out["input"] = inputs[aspect]
            facts[f"{aspect}.total"] = total
            if self.ordered(aspect):
                levels = self.levels_of(aspect)
                ranks = {k: int(v + 0.5 + 1e-9) for k, v in values.items()}
                order = (
                    list(ranks)
                    if spec.get("source") == "rhk"
                    else [k for k in weights if k in ranks]
                )
                num = den = 0.0
                for k in order:
                    num += weights.get(k, 1) * ranks[k]
                    den += weights.get(k, 1)
                out["score"] = round(num / den, 4) if den else None
                groups = [("", list(ranks))]
                if spec.get("source") == "rhk":
                    groups += [
                        ("utama.", [k for k in ranks if k in utama]),
                        ("tambahan.", [k for k in ranks if k not in utama]),
                    ]
                for group, keys in groups:
                    facts[f"{aspect}.{group}total"] = len(keys)
                    for i, level in enumerate(levels, start=1):
                        n = sum(1 for k in keys if ranks[k] == i)
                        facts[f"{aspect}.{group}count.{level}"] = n
                        if keys:
                            facts[f"{aspect}.{group}share.{level}"] = round(n / len(keys), 4)
                for k, rank in ranks.items():
                    if not isinstance(k, tuple):
                        facts[f"indicator.{k}"] = levels[rank - 1]
            elif spec.get("source") == "rhk":  # RHK on a numeric scale: mean and lowest
                rounded = {k: round(v, 4) for k, v in values.items()}
                for group, keys in (
                    ("", list(rounded)),
                    ("utama", [k for k in rounded if k in utama]),
                    ("tambahan", [k for k in rounded if k not in utama]),
                ):
                    prefix = f"{aspect}.{group}." if group else f"{aspect}."
                    numbers = [rounded[k] for k in keys]
                    score = round(sum(numbers) / len(numbers), 4) if numbers else None
                    low = min(numbers) if numbers else None
                    part = {"total": len(numbers), "score": score, "min": low}
                    facts[f"{prefix}total"] = len(numbers)
                    if numbers:
                        facts[f"{prefix}score"], facts[f"{prefix}min"] = score, low
                    if group:
                        out[group] = part
                    else:
                        out.update(part)
            else:
                rounded = {k: round(v, 4) for k, v in values.items()}
                for k, v in rounded.items():
                    facts[f"indicator.{k}"] = v
                num = den = 0.0
                for k in weights:
                    if k in rounded:
                        num += weights[k] * rounded[k]
                        den += weights[k]
                out["score"] = round(num / den, 4) if den else None
            if out["score"] is not None:
                facts[f"{aspect}.score"] = out["score"]
            complete = total >= spec.get("minimum", 1)
            proposed = None
            for rule in self._level_rules(aspect):
                if not complete and not rule.get("without_ratings"):
                    continue
                if "when" not in rule or self.holds(rule["when"], facts, aspect):
                    proposed = rule["level"]
                    fired.append(rule["_name"])
                    break
            direct = given.get(aspect)
            if direct is not None and direct not in self.levels_of(aspect):
                wrong, direct = True, None
            level = direct or proposed
            out.update(
                level=level,
                proposed=proposed,
                source="penilai" if direct else ("aturan" if proposed else None),
            )
            if level is not None:
                facts[f"{aspect}.level"] = level
            if spec.get("required", True) and level is None:
                missing = True
            aspects_out[aspect] = out
        cons = self.doc.get("consequences") or {}
        has_ak = "angka_kredit" in cons or "angka_kredit_percent" in cons
        if has_ak:
            wrong = self.angka_kredit(employee, "baik")[1] or wrong
        result = {
            "status": "tidak_valid" if wrong else "belum_lengkap" if missing else "lengkap",
            "aspects": aspects_out,
            "predicate": None,
            "awards": [],
            "training": [],
            "consequences": {},
            "fired": fired,
        }
        if wrong or missing:
            return result
        predicate = None
        if "predicate" in self.doc:
            row, col = facts.get("hasil_kerja.level"), facts.get("perilaku_kerja.level")
            if row is not None and col is not None:
                predicate = self.doc["predicate"][row][col]
                fired.append(f"predikat.{row}.{col}")
                facts["predicate"] = predicate
        result["predicate"] = predicate
        for section, field, outcome in (
            ("awards", "awards", "award"),
            ("training", "training", "recommend"),
        ):
            for rule in self.doc.get(section) or []:
                if self.holds(rule["when"], facts, None):
                    result[field].append(rule[outcome])
                    fired.append(rule["name"])
        consequences: dict[str, Any] = {}
        if has_ak and predicate is not None:
            consequences.update(self.angka_kredit(employee, predicate)[0])
        if "allowance" in cons:
            allowance = cons["allowance"]
            parts: dict[str, Any] = {}
            total: float | None = 0.0
            for name, share in allowance["components"].items():
                spec = allowance[f"{name}_percent"]
                percent = None
                if isinstance(spec, dict):
                    percent = spec.get(predicate) if predicate else None
                else:
                    for index, band in enumerate(spec, start=1):
                        if "when" not in band or self.holds(band["when"], facts, None):
                            percent = band["percent"]
                            fired.append(band.get("name", f"tpp.{name}.{index}"))
                            break
                parts[name] = percent
                total = None if percent is None or total is None else total + share * percent / 100
            consequences["allowance"] = {
                "components": parts,
                "percent": round(total, 4) if total is not None else None,
            }
        result["consequences"] = consequences
        return result

    def _level_rules(self, aspect: str) -> list[dict]:
        rules = (self.doc.get("levels") or {}).get(aspect, [])
        used: dict[str, int] = {}
        for rule in rules:
            if "_name" in rule:
                continue
            if "name" in rule:
                rule["_name"] = rule["name"]
            else:
                used[rule["level"]] = used.get(rule["level"], 0) + 1
                n = used[rule["level"]]
                rule["_name"] = f"{aspect}.{rule['level']}" + (f"#{n}" if n > 1 else "")
        return rules
