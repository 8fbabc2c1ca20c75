"""The engine's explanation entries in plain Indonesian: the one renderer of every screen, the
PDF and the API.

An entry (docs/rules.md, "Explanations") names its stage, the rule's condition as a tree, the
facts the rule read with their values, and the outcome. This module writes it as
"<what was found> → <what follows>", e.g. "3 dari 4 RHK di atas ekspektasi dan tidak ada RHK
utama di bawah ekspektasi → hasil kerja Di Atas Ekspektasi".

It lives in `app.domain` (pure, no Flask or database) because both the web layer and the
services that write the PDF and the API's bodies need the same sentences.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.enums import label
from app.domain.wording import number

ARROW = "→"

# Operator -> the words before a threshold ("paling sedikit 50%").
_BOUNDS = {
    "eq": "tepat",
    "ne": "selain",
    "gt": "lebih dari",
    "gte": "paling sedikit",
    "lt": "kurang dari",
    "lte": "paling banyak",
    "in": "salah satu dari",
    "not_in": "bukan salah satu dari",
}

_EMPLOYEE = {
    "jabatan": "jenis jabatan",
    "golongan": "golongan",
    "unit": "unit kerja",
    "is_unit_head": "kepala unit",
    "jenjang": "jenjang jabatan fungsional",
    "status": "status kepegawaian",
}

_HISTORY = {
    "sangat_baik_streak": ("predikat Sangat Baik berturut-turut", "periode"),
    "baik_years": ("predikat paling rendah Baik berturut-turut", "tahun"),
    "previous_predicate": ("predikat periode sebelumnya", ""),
}


def word(value: Any) -> str:
    """A constant or fact value as words: labels for codes, comma decimals, Ya/Tidak."""
    if value is None:
        return "tidak ada"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, list | tuple):
        return ", ".join(word(v) for v in value)
    return label(str(value))


def _lower(value: Any) -> str:
    return word(value).lower()


def _name(aspect: str) -> str:
    """An aspect's label inside a sentence: `hasil kerja`, `kinerja lokal (Aceh)`."""
    text = label(aspect)
    return text[:1].lower() + text[1:]


class _Context:
    """What an entry's sentence may draw on besides the entry: the result's aspects (counts
    and totals behind a share) and the indicator names of the catalogue."""

    def __init__(
        self, aspects: Mapping[str, Any] | None, indicators: Mapping[str, str] | None
    ) -> None:
        self.aspects = aspects or {}
        self.indicators = indicators or {}

    def noun(self, aspect: str, part: str = "") -> str:
        """What an aspect's items are called: RHK for results of work, else butir."""
        facts = self.aspects.get(aspect) or {}
        is_rhk = "utama" in facts or aspect == "hasil_kerja"
        noun = "RHK" if is_rhk else f"butir {_name(aspect)}"
        return f"{noun} {part}" if part else noun

    def total(self, aspect: str, part: str = "") -> int | None:
        facts = self.aspects.get(aspect) or {}
        if part:
            facts = facts.get(part) or {}
        total = facts.get("total") if isinstance(facts, Mapping) else None
        return total if isinstance(total, int) else None

    def indicator(self, code: str) -> str:
        return self.indicators.get(code) or code.replace("_", " ").capitalize()


def _threshold(path: str, op: str, value: Any) -> str:
    """`paling sedikit 50%` for a share, `tepat 0` for a count, `salah satu dari A, B`."""
    if op in ("in", "not_in"):
        return f"{_BOUNDS[op]} {word(value)}"
    if ".share." in path and isinstance(value, int | float):
        return f"{_BOUNDS[op]} {number(value * 100)}%"
    return f"{_BOUNDS[op]} {word(value)}"


def _fact(path: str, actual: Any, ctx: _Context) -> str:
    """The fact with the value it had: `3 dari 4 RHK di atas ekspektasi`."""
    parts = path.split(".")
    head = parts[0]
    if head == "indicator":
        return f"nilai {ctx.indicator(parts[1])} {word(actual)}"
    if head == "employee":
        return f"{_EMPLOYEE.get(parts[1], parts[1].replace('_', ' '))} {word(actual)}"
    if head == "unit":
        return f"predikat organisasi unit {word(actual)}"
    if head == "history":
        what, unit = _HISTORY.get(parts[1], (parts[1].replace("_", " "), ""))
        return f"{what} {word(actual)}{' ' + unit if unit else ''}"
    if head == "raters":
        return f"{word(actual)} penilai {_lower(parts[1])}"
    if head == "predicate":
        return f"predikat {word(actual)}"
    if head == "period":
        if parts[1] == "kind":
            return f"jenis periode {_lower(actual)}"
        return f"periode {word(actual)} bulan"
    aspect, rest = head, parts[1:]
    part = ""
    if rest and rest[0] in ("utama", "tambahan"):
        part, rest = rest[0], rest[1:]
    if rest == ["total"]:
        return f"{word(actual)} {ctx.noun(aspect, part)} dinilai"
    if rest and rest[0] == "count" and len(rest) == 2:
        noun = ctx.noun(aspect, part)
        level = _lower(rest[1])
        if actual == 0:
            return f"tidak ada {noun} {level}"
        total = ctx.total(aspect, part)
        of = f" dari {total}" if total is not None else ""
        return f"{word(actual)}{of} {noun} {level}"
    if rest and rest[0] == "share" and len(rest) == 2:
        noun = ctx.noun(aspect, part)
        level = _lower(rest[1])
        total = ctx.total(aspect, part)
        if isinstance(actual, int | float) and total:
            count = round(actual * total)
            if count == 0:
                return f"tidak ada {noun} {level}"
            return f"{count} dari {total} {noun} {level}"
        shown = f"{number(actual * 100)}%" if isinstance(actual, int | float) else word(actual)
        return f"{shown} {noun} {level}"
    if rest == ["score"]:
        return f"skor {_name(aspect)} {word(actual)}"
    if rest == ["level"]:
        return f"{_name(aspect)} {word(actual)}"
    return f"{path} {word(actual)}"


def _holds_plainly(node: Mapping[str, Any], inputs: Mapping[str, Any]) -> bool:
    """Whether the found value says all there is (a level equal to its constant, a count of
    zero required to be zero): then the threshold is not repeated."""
    op, value = node.get("op"), node.get("value")
    actual = inputs.get(node.get("fact", ""))
    return op == "eq" and actual == value


def _clause(node: Mapping[str, Any] | None, inputs: Mapping[str, Any], ctx: _Context) -> str:
    if not node:
        return ""
    if "fact" in node:
        path = node["fact"]
        found = _fact(path, inputs.get(path), ctx)
        if _holds_plainly(node, inputs):
            return found
        return f"{found} (syarat: {_threshold(path, node['op'], node.get('value'))})"
    if "not" in node:
        inner = _clause(node["not"], inputs, ctx)
        return f"bukan keadaan ini: {inner}" if inner else ""
    joiner = " dan " if "all" in node else " atau "
    items = node.get("all", node.get("any")) or []
    parts = []
    for item in items:
        text = _clause(item, inputs, ctx)
        nested = ("all" in item or "any" in item) and len(item.get("all", item.get("any"))) > 1
        parts.append(f"({text})" if nested else text)
    return joiner.join(p for p in parts if p)


def _outcome(entry: Mapping[str, Any]) -> str:
    stage, key, outcome = entry.get("stage"), entry.get("key") or "", entry.get("outcome")
    if stage == "levels":
        return f"{_name(key)} {word(outcome)}"
    if stage == "predicate":
        return f"predikat kinerja {word(outcome)}"
    if stage == "awards":
        return f"penghargaan: {outcome}"
    if stage == "training":
        return f"rekomendasi pelatihan: {outcome}"
    if stage == "allowance":
        return f"komponen TPP {_name(key)} {word(outcome)}%"
    return word(outcome)


def sentence(
    entry: Mapping[str, Any],
    aspects: Mapping[str, Any] | None = None,
    indicators: Mapping[str, str] | None = None,
) -> str:
    """One entry in plain Indonesian. `aspects` (the result's) turns shares into "3 dari 4";
    `indicators` maps indicator codes to their names."""
    ctx = _Context(aspects, indicators)
    if "condition" not in entry:
        return _legacy(entry, ctx)
    if str(entry.get("rule", "")).startswith("penilai."):
        decided = f"Pejabat penilai menetapkan {_outcome(entry)}"
        proposed = entry.get("proposed")
        if proposed and proposed != entry.get("outcome"):
            return f"{decided} (usulan aturan: {word(proposed)})."
        return f"{decided}."
    reason = _clause(entry.get("condition"), entry.get("inputs") or {}, ctx)
    if not reason:
        reason = "syarat tingkat di atasnya tidak terpenuhi"
    text = f"{reason} {ARROW} {_outcome(entry)}"
    return text[0].upper() + text[1:]


def _legacy(entry: Mapping[str, Any], ctx: _Context) -> str:
    """Results stored before entries carried their condition and outcome: the facts the rule
    read, with their values (an entry that read none says nothing and is left out)."""
    inputs = entry.get("inputs") or {}
    text = " dan ".join(_fact(path, value, ctx) for path, value in inputs.items())
    return text[:1].upper() + text[1:]


def sentences(
    result: Mapping[str, Any] | None, indicators: Mapping[str, str] | None = None
) -> list[str]:
    """Every explanation entry of an engine result, in order, as sentences."""
    if not result:
        return []
    aspects = result.get("aspects") or {}
    out = [
        sentence(entry, aspects, indicators)
        for entry in result.get("explanation") or []
        if isinstance(entry, Mapping)
    ]
    return [text for text in out if text]


def fact_name(path: str, indicators: Mapping[str, str] | None = None) -> str:
    """A fact path as a noun phrase without a value ("nilai Kepuasan Publik", "bagian RHK utama
    di bawah ekspektasi"): what the condition builder lists and the requirement sentence uses."""
    ctx = _Context(None, indicators)
    parts = path.split(".")
    head = parts[0]
    if head == "indicator":
        return f"nilai {ctx.indicator(parts[1])}"
    if head == "employee":
        return _EMPLOYEE.get(parts[1], parts[1].replace("_", " "))
    if head == "unit":
        return "predikat organisasi unit"
    if head == "history":
        what, unit = _HISTORY.get(parts[1], (parts[1].replace("_", " "), ""))
        return f"{what}{f' ({unit})' if unit else ''}"
    if head == "raters":
        return f"jumlah penilaian oleh {_lower(parts[1])}"
    if head == "predicate":
        return "predikat"
    if head == "period":
        return "jenis periode" if parts[1] == "kind" else "jumlah bulan periode"
    aspect, rest = head, parts[1:]
    part = ""
    if rest and rest[0] in ("utama", "tambahan"):
        part, rest = rest[0], rest[1:]
    noun = ctx.noun(aspect, part)
    if rest and rest[0] in ("count", "share") and len(rest) == 2:
        what = "jumlah" if rest[0] == "count" else "bagian"
        return f"{what} {noun} {_lower(rest[1])}"
    if rest == ["total"]:
        return f"jumlah {noun} yang dinilai"
    if rest == ["score"]:
        return f"skor {_name(aspect)}"
    if rest == ["level"]:
        return f"tingkat {_name(aspect)}"
    return path


def requirement(node: Mapping[str, Any] | None, indicators: Mapping[str, str] | None = None) -> str:
    """A condition tree (as `explanations` carry it) as a requirement in Indonesian, without the
    values of any employee: "predikat paling sedikit Baik dan nilai Disiplin kurang dari 2,5".
    An empty `all` always holds."""
    if not node:
        return "selalu berlaku"
    if "fact" in node:
        path = node["fact"]
        return f"{fact_name(path, indicators)} {_threshold(path, node['op'], node.get('value'))}"
    if "not" in node:
        return f"bukan keadaan ini: {requirement(node['not'], indicators)}"
    items = node.get("all", node.get("any")) or []
    if not items:
        return "selalu berlaku"
    joiner = " dan " if "all" in node else " atau "
    parts = []
    for item in items:
        text = requirement(item, indicators)
        nested = ("all" in item or "any" in item) and len(item.get("all", item.get("any"))) > 1
        parts.append(f"({text})" if nested else text)
    return joiner.join(parts)
