"""An independent plain-Python calculation of the rule language (docs/rules.md).

It reads the YAML with `yaml.safe_load`, evaluates conditions directly in Python and shares no code
with `app.engine`. Property tests compare the engine with it; the benchmark uses it as the floor.
It assumes a valid ruleset (validation is the engine's job).
"""

from __future__ import annotations

from typing import Any

import yaml

PREDICATES = ["sangat_kurang", "kurang", "butuh_perbaikan", "baik", "sangat_baik"]
ORG_PREDICATES = ["sangat_kurang", "kurang", "butuh_perbaikan", "baik", "istimewa"]
INPUT_FACTS = {
    "employee.jabatan": None,
    "employee.golongan": None,
    "employee.unit": None,
    "employee.status": None,
    "employee.is_unit_head": "bool",
    "unit.predicate": ORG_PREDICATES,
    "history.sangat_baik_streak": "number",
    "history.baik_years": "number",
    "history.previous_predicate": PREDICATES,
}


class Oracle:
    """Evaluates employees with a ruleset text, the slow and obvious way."""

    def __init__(self, text: str) -> None:
        self.doc = yaml.safe_load(text)
        self.scales = self.doc["scales"]
        self.raters = self.doc.get("raters", {"supervisor": 1})
        self.aspects = self.doc["aspects"]
        self.code_aspect = {}
        for name, spec in self.aspects.items():
            codes = spec.get("indicators", [])
            for code in codes:
                self.code_aspect[code] = name

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
    def combine(self, by_kind: dict[str, list[float]]) -> float:
        """Mean per kind, weighted over the kinds present, in the documented kind order."""
        num = den = 0.0
        for kind in ("supervisor", "peer", "self", "public"):
            if kind in by_kind and self.raters.get(kind, 0) > 0:
                values = by_kind[kind]
                num += self.raters[kind] * (sum(values) / len(values))
                den += self.raters[kind]
        return num / den

    def evaluate(self, employee: dict[str, Any]) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        items: dict[str, dict[Any, dict[str, list[float]]]] = {a: {} for a in self.aspects}
        utama: set[Any] = set()
        rater_counts = {k: 0 for k in self.raters}
        for r in employee.get("ratings", []):
            kind = r.get("rater")
            if self.raters.get(kind, 0) <= 0:
                continue
            if "indicator" in r:
                aspect = self.code_aspect.get(r["indicator"])
                key = r["indicator"]
            else:
                aspect = next(
                    (a for a, s in self.aspects.items() if s.get("source") == "rhk"), None
                )
                key = ("rhk", str(r.get("rhk")))
                if r.get("utama") is True:
                    utama.add(key)
            if aspect is None:
                continue
            if self.ordered(aspect):
                if r.get("value") not in self.levels_of(aspect):
                    continue
                value = self.levels_of(aspect).index(r["value"]) + 1
            else:
                scale = self.scales[self.aspects[aspect]["scale"]]
                value = r.get("value")
                if not (
                    isinstance(value, int | float)
                    and not isinstance(value, bool)
                    and scale["min"] <= value <= scale["max"]
                ):
                    continue
            rater_counts[kind] += 1
            items[aspect].setdefault(key, {}).setdefault(kind, []).append(value)
        for kind, n in rater_counts.items():
            facts[f"raters.{kind}.count"] = n
        for path, kind in INPUT_FACTS.items():
            section, field = path.split(".")
            value = (employee.get(section) or {}).get(field)
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
        given = employee.get("levels") or {}
        aspects_out: dict[str, Any] = {}
        fired: list[str] = []
        missing = False
        for aspect, spec in self.aspects.items():
            weights = spec.get("indicators", {})
            if isinstance(weights, list):
                weights = {c: 1 for c in weights}
            values = {k: self.combine(v) for k, v in items[aspect].items()}
            total = len(values)
            out: dict[str, Any] = {"total": total}
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
            if complete:
                for rule in self._level_rules(aspect):
                    if "when" not in rule or self.holds(rule["when"], facts, aspect):
                        proposed = rule["level"]
                        fired.append(rule["_name"])
                        break
            direct = given.get(aspect) if given.get(aspect) in self.levels_of(aspect) else None
            level = direct or proposed
            out.update(
                level=level,
                proposed=proposed,
                source="penilai" if direct else ("aturan" if proposed else None),
            )
            if level is not None:
                facts[f"{aspect}.level"] = level
            if spec.get("required", True) and not complete and direct is None:
                missing = True
            aspects_out[aspect] = out
        result = {
            "status": "belum_lengkap" if missing else "lengkap",
            "aspects": aspects_out,
            "predicate": None,
            "awards": [],
            "training": [],
            "consequences": {},
            "fired": fired,
        }
        if missing:
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
        cons = self.doc.get("consequences") or {}
        consequences: dict[str, Any] = {}
        if "angka_kredit_percent" in cons and predicate is not None:
            consequences["angka_kredit_percent"] = cons["angka_kredit_percent"][predicate]
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
