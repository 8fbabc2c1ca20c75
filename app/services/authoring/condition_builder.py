"""The condition builder: conditions chosen from lists instead of typed as YAML.

An officer picks a fact (listed with its Indonesian name and what it means), an operator and a
value; groups combine them with semua (all), salah satu (any) or bukan (not). The builder sends
the condition as the tree the explanations use (`{"all": [...]}`, `{"fact", "op", "value"}`);
this module checks every value against the fact's type and scale, with a message per mistake,
and writes the tree as the YAML the rule language reads. The engine validates the whole text
again before a draft is saved, so the builder can only be stricter, never looser.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import yaml

from app.domain.enums import label
from app.domain.explanations import fact_name, requirement
from app.engine import FactType, Ruleset
from app.services.errors import InvalidInput

OPERATOR_WORDS: dict[str, str] = {
    "eq": "sama dengan",
    "ne": "tidak sama dengan",
    "gt": "lebih dari",
    "gte": "paling sedikit",
    "lt": "kurang dari",
    "lte": "paling banyak",
    "in": "salah satu dari",
    "not_in": "bukan salah satu dari",
}
_ORDERING = ("gt", "gte", "lt", "lte")
_LISTS = ("in", "not_in")
GROUP_WORDS = {"all": "semua syarat", "any": "salah satu syarat", "not": "bukan"}
MAX_DEPTH = 4

# What a fact family means, for the builder's list (docs/rules.md, "Fact paths").
_MEANINGS: dict[str, str] = {
    "indicator": "Nilai gabungan satu indikator dari semua penilai yang memutuskan.",
    "score": "Skor rata-rata berbobot aspek ini.",
    "level": "Tingkat aspek (ditetapkan pejabat penilai atau diusulkan aturan).",
    "total": "Banyaknya butir aspek yang sudah dinilai.",
    "count": "Banyaknya butir pada tingkat ini.",
    "share": "Bagian butir pada tingkat ini, 0 sampai 1 (0,5 = separuh).",
    "predicate": "Predikat kinerja pegawai pada periode ini.",
    "unit": "Predikat kinerja organisasi unit kerja pegawai.",
    "history": "Riwayat predikat pegawai pada periode sebelumnya.",
    "employee": "Data kepegawaian pegawai.",
    "period": "Jenis dan lama periode yang dinilai.",
    "raters": "Banyaknya penilaian oleh jenis penilai ini yang ikut memutuskan.",
}


@dataclass(frozen=True)
class Fact:
    """One entry of the builder's fact list."""

    path: str
    name: str
    meaning: str
    kind: str  # level, number, bool, text
    choices: tuple[tuple[str, str], ...]  # (code, label) for levels and closed texts
    minimum: float | None
    maximum: float | None
    whole: bool  # counts take whole numbers
    operators: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "meaning": self.meaning,
            "kind": self.kind,
            "choices": [list(c) for c in self.choices],
            "min": self.minimum,
            "max": self.maximum,
            "whole": self.whole,
            "operators": [[op, OPERATOR_WORDS[op]] for op in self.operators],
        }


def _family(path: str) -> str:
    parts = path.split(".")
    if parts[0] in _MEANINGS and parts[0] not in ("score", "level", "total", "count", "share"):
        return parts[0]
    for part in reversed(parts[1:]):
        if part in _MEANINGS:
            return part
    return parts[-1]


def _fact(path: str, ftype: FactType, model: Ruleset, indicators: dict[str, str]) -> Fact:
    kind, lo, hi, whole = ftype.kind, None, None, False
    tail = path.split(".")
    if kind == "number":
        if "share" in tail:
            lo, hi = 0.0, 1.0
        elif "count" in tail or "total" in tail or path.startswith(("history.", "raters.")):
            lo, whole = 0.0, True
        elif path == "period.months":
            lo, hi, whole = 1.0, 12.0, True
        else:  # a score or an indicator on a numeric scale: the scale's bounds
            scale = _numeric_scale(path, model)
            if scale is not None:
                lo, hi = scale
    if kind == "level":
        operators: tuple[str, ...] = ("eq", "ne", *_ORDERING, *_LISTS)
    elif kind == "number":
        operators = ("eq", "ne", *_ORDERING)
    elif kind == "bool":
        operators = ("eq",)
    else:
        operators = ("eq", "ne", *_LISTS)
    choices = tuple((code, label(code)) for code in ftype.levels)
    if kind == "bool":
        choices = (("ya", "Ya"), ("tidak", "Tidak"))
    return Fact(
        path,
        fact_name(path, indicators),
        _MEANINGS.get(_family(path), ""),
        kind,
        choices,
        lo,
        hi,
        whole,
        operators,
    )


def _numeric_scale(path: str, model: Ruleset) -> tuple[float, float] | None:
    parts = path.split(".")
    for aspect in model.aspects.values():
        codes = {code for code, _ in aspect.indicators}
        if (parts[0] == "indicator" and parts[1] in codes) or parts[0] == aspect.name:
            if aspect.scale.minimum is not None and aspect.scale.maximum is not None:
                return aspect.scale.minimum, aspect.scale.maximum
    return None


def facts(
    model: Ruleset, indicators: dict[str, str] | None = None, aspect: str | None = None
) -> list[Fact]:
    """The facts a condition may read: for awards, training and allowance bands (`aspect` None)
    every fact; for the level rules of an aspect, the facts known before levels are decided."""
    names = indicators or {}
    out = []
    for path, ftype in sorted(model.fact_types.items()):
        if aspect is not None and (path == "predicate" or path.endswith(".level")):
            continue
        out.append(_fact(path, ftype, model, names))
    return out


def _number(raw: Any, fact: Fact) -> float:
    if isinstance(raw, bool):
        raise InvalidInput(f"Nilai untuk {fact.name} harus berupa angka.")
    try:
        value = float(str(raw).strip().replace(",", "."))
    except ValueError:
        raise InvalidInput(f"Nilai untuk {fact.name} harus berupa angka.") from None
    if not math.isfinite(value):
        raise InvalidInput(f"Nilai untuk {fact.name} harus berupa angka.")
    if fact.whole and not value.is_integer():
        raise InvalidInput(f"Nilai untuk {fact.name} harus bilangan bulat.")
    if (
        fact.minimum is not None
        and value < fact.minimum
        or (fact.maximum is not None and value > fact.maximum)
    ):
        lo = _plain(fact.minimum) if fact.minimum is not None else "…"
        hi = _plain(fact.maximum) if fact.maximum is not None else "…"
        hint = " (tulis 0,5 untuk separuh)" if fact.maximum == 1.0 and fact.minimum == 0 else ""
        raise InvalidInput(f"Nilai untuk {fact.name} harus antara {lo} dan {hi}{hint}.")
    return int(value) if value.is_integer() else value


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def _choice(raw: Any, fact: Fact) -> Any:
    codes = [code for code, _ in fact.choices]
    if fact.kind == "bool":
        if raw in (True, "ya", "true"):
            return True
        if raw in (False, "tidak", "false"):
            return False
        raise InvalidInput(f"Pilih Ya atau Tidak untuk {fact.name}.")
    text = str(raw).strip() if raw is not None else ""
    if not text:
        raise InvalidInput(f"Isi nilai untuk {fact.name}.")
    if codes and text not in codes:
        raise InvalidInput(
            f"Nilai untuk {fact.name} harus salah satu dari: "
            + ", ".join(name for _, name in fact.choices)
            + "."
        )
    return text


def _value(raw: Any, fact: Fact, op: str) -> Any:
    if op in _LISTS:
        items = raw if isinstance(raw, list) else [v for v in str(raw or "").split(",")]
        items = [v for v in items if str(v).strip()]
        if not items:
            raise InvalidInput(f"Pilih paling sedikit satu nilai untuk {fact.name}.")
        return [_choice(v, fact) for v in items]
    if fact.kind == "number":
        return _number(raw, fact)
    return _choice(raw, fact)


def check(tree: Any, known: dict[str, Fact], depth: int = 0) -> dict[str, Any]:
    """The tree with every value checked and converted (numbers as numbers, Ya/Tidak as
    booleans); raises `InvalidInput` with the first mistake, in words."""
    if depth > MAX_DEPTH:
        raise InvalidInput("Kelompok syarat terlalu dalam; sederhanakan kondisinya.")
    if not isinstance(tree, dict):
        raise InvalidInput("Kondisi tidak terbaca; susun ulang syaratnya.")
    if "fact" in tree:
        fact = known.get(str(tree.get("fact")))
        if fact is None:
            raise InvalidInput("Pilih fakta dari daftar untuk setiap syarat.")
        op = tree.get("op")
        if op not in fact.operators:
            raise InvalidInput(f"Pembanding itu tidak dapat dipakai untuk {fact.name}.")
        return {"fact": fact.path, "op": op, "value": _value(tree.get("value"), fact, op)}
    if "not" in tree:
        return {"not": check(tree["not"], known, depth + 1)}
    for key in ("all", "any"):
        if key in tree:
            items = tree[key]
            if not isinstance(items, list) or not items:
                raise InvalidInput("Setiap kelompok harus berisi paling sedikit satu syarat.")
            return {key: [check(item, known, depth + 1) for item in items]}
    raise InvalidInput("Kondisi tidak terbaca; susun ulang syaratnya.")


def _yaml_form(tree: dict[str, Any], aspect: str | None = None) -> Any:
    """The rule language's form: `path: value` for equality, `path: {op: value}` otherwise; a
    group of `semua` whose items have different keys is written as one mapping (a mapping's
    entries all have to hold, `any`/`not` entries included). In a level rule of `aspect` the
    aspect's own facts are written without its name (`share.di_atas_ekspektasi`), as the
    shipped rules write them."""
    if "fact" in tree:
        path = tree["fact"]
        if aspect is not None and path.startswith(f"{aspect}."):
            path = path[len(aspect) + 1 :]
        if tree["op"] == "eq":
            return {path: tree["value"]}
        return {path: {tree["op"]: tree["value"]}}
    if "not" in tree:
        return {"not": _yaml_form(tree["not"], aspect)}
    key = "all" if "all" in tree else "any"
    items = [_yaml_form(item, aspect) for item in tree[key]]
    if key == "all":
        merged: dict[str, Any] = {}
        for item in items:
            if any(k in merged for k in item):
                break
            merged.update(item)
        else:
            return merged
    if len(items) == 1:
        return items[0]
    return {key: items}


def to_yaml(tree: dict[str, Any], aspect: str | None = None) -> str:
    """The checked tree as a one-line YAML flow mapping, e.g. `{predicate: {gte: baik}}`;
    `aspect`: the tree is the condition of one of that aspect's level rules."""
    return yaml.safe_dump(
        _yaml_form(tree, aspect),
        default_flow_style=True,
        sort_keys=False,
        allow_unicode=True,
        width=10_000,
    ).strip()


def as_builder_tree(tree: dict[str, Any]) -> dict[str, Any]:
    """A stored condition (`conditions.as_tree`) as the builder loads it: the root is always a
    group (a single syarat becomes `semua` of one), and yes/no values are the builder's
    `ya`/`tidak`."""

    def walk(node: dict[str, Any]) -> dict[str, Any]:
        if "fact" in node:
            value = node["value"]
            if isinstance(value, bool):
                value = "ya" if value else "tidak"
            return {"fact": node["fact"], "op": node["op"], "value": value}
        if "not" in node:
            return {"not": walk(node["not"])}
        key = "all" if "all" in node else "any"
        return {key: [walk(item) for item in node[key]]}

    out = walk(tree)
    return {"all": [out]} if "fact" in out else out


def sentence(tree: dict[str, Any], indicators: dict[str, str] | None = None) -> str:
    """The condition as an Indonesian requirement (the explanations' renderer)."""
    return requirement(tree, indicators)
