"""What changed between two rulesets, in words, from their validated models.

A text diff shows characters; a policy decision is "Bobot rekan kerja 20 → 30 (dinormalisasi:
20 % → 27 %)" or "Aturan penghargaan 'Pelayan Publik Teladan' ditambahkan". The summary compares
the two models the engine built (so reformatting, comments and order of keys change nothing)
section by section, and is shown on the draft, in the comparison and before publishing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.enums import label
from app.domain.explanations import requirement
from app.domain.wording import number
from app.engine import Bound, Rule, Ruleset, as_tree, validate

ARROW = "→"


@dataclass(frozen=True)
class Change:
    """One change: the section it belongs to (for grouping) and the sentence."""

    section: str
    text: str


SECTIONS: dict[str, str] = {
    "raters": "Bobot penilai",
    "aspects": "Aspek dan indikator",
    "levels": "Aturan tingkat",
    "predicate": "Matriks predikat",
    "distribution": "Pola distribusi",
    "awards": "Penghargaan",
    "training": "Pelatihan",
    "angka_kredit": "Angka kredit",
    "allowance": "TPP",
    "scales": "Skala",
}


def _n(value: float | None) -> str:
    return "–" if value is None else number(value)


def _pct(part: float, total: float) -> str:
    return f"{number(round(100 * part / total)) if total else '0'} %"


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _weights(
    section: str,
    what: str,
    old: Mapping[str, float],
    new: Mapping[str, float],
    name: Callable[[str], str],
) -> list[Change]:
    """Weight changes with the normalised shares before and after (weights are relative)."""
    out = []
    old_total, new_total = sum(old.values()), sum(new.values())
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if before is None:
            out.append(Change(section, f"{what} {name(key)} ditambahkan: {_n(after)}"))
        elif after is None:
            out.append(Change(section, f"{what} {name(key)} dihapus (sebelumnya {_n(before)})"))
        else:
            out.append(
                Change(
                    section,
                    (
                        f"{what} {name(key)} {_n(before)} {ARROW} {_n(after)} (dinormalisasi: "
                        f"{_pct(before, old_total)} {ARROW} {_pct(after, new_total)})"
                    ),
                )
            )
    return out


def _condition(rule: Rule, indicators: Mapping[str, str]) -> str:
    return requirement(as_tree(rule.when), indicators)


def _rules(
    section: str,
    noun: str,
    old: tuple[Rule, ...],
    new: tuple[Rule, ...],
    indicators: Mapping[str, str],
    title: Callable[[Rule], str],
    outcome: Callable[[Any], str],  # a `Rule.outcome`: a level, a predikat, a percent...
    ordered: bool = True,
) -> list[Change]:
    """Rules matched by name: added, removed, condition or outcome changed, and (where the
    first matching rule wins) order changed."""
    out = []
    before = {rule.name: rule for rule in old}
    after = {rule.name: rule for rule in new}
    for rule in new:
        if rule.name not in before:
            out.append(
                Change(
                    section,
                    (
                        f"{noun} '{title(rule)}' ditambahkan: {_condition(rule, indicators)} "
                        f"{ARROW} {outcome(rule.outcome)}"
                    ),
                )
            )
    for rule in old:
        if rule.name not in after:
            out.append(Change(section, f"{noun} '{title(rule)}' dihapus"))
    for rule in new:
        was = before.get(rule.name)
        if was is None:
            continue
        if was.when != rule.when:
            out.append(
                Change(
                    section,
                    (
                        f"Syarat {_lower(noun)} '{title(rule)}': "
                        f"{_condition(was, indicators)} {ARROW} {_condition(rule, indicators)}"
                    ),
                )
            )
        if was.outcome != rule.outcome:
            out.append(
                Change(
                    section,
                    (
                        f"Hasil {_lower(noun)} '{title(rule)}': {outcome(was.outcome)} {ARROW} "
                        f"{outcome(rule.outcome)}"
                    ),
                )
            )
    kept_old = [r.name for r in old if r.name in after]
    kept_new = [r.name for r in new if r.name in before]
    if ordered and kept_old != kept_new:
        out.append(Change(section, f"Urutan {_lower(noun)} diubah (yang pertama cocok berlaku)"))
    return out


def _level_title(rule: Rule) -> str:
    """A level rule's given name, or for an unnamed one the level it proposes."""
    return f"menuju {label(rule.outcome)}" if "." in rule.name else rule.name


def _levels(old: Ruleset, new: Ruleset, indicators: Mapping[str, str]) -> list[Change]:
    out = []
    for aspect in [*old.levels, *(a for a in new.levels if a not in old.levels)]:
        out += _rules(
            "levels",
            f"Aturan tingkat {_lower(label(aspect))}",
            old.levels.get(aspect, ()),
            new.levels.get(aspect, ()),
            indicators,
            _level_title,
            label,
        )
    return out


def _matrix(old: Ruleset, new: Ruleset) -> list[Change]:
    def cells(model: Ruleset) -> dict[tuple[str, str], str]:
        out = {}
        for rule in model.predicate:
            tree = as_tree(rule.when)
            facts = {item["fact"]: item["value"] for item in tree.get("all", []) if "fact" in item}
            out[(facts.get("hasil_kerja.level", ""), facts.get("perilaku_kerja.level", ""))] = (
                rule.outcome
            )
        return out

    before, after = cells(old), cells(new)
    return [
        Change(
            "predicate",
            (
                f"Matriks predikat: hasil kerja {label(row)} dan perilaku kerja {label(col)}: "
                f"{label(before.get((row, col)))} {ARROW} {label(after.get((row, col)))}"
            ),
        )
        for (row, col) in after
        if before.get((row, col)) != after[(row, col)]
    ]


def _bound(bound: Bound) -> str:
    parts = []
    if bound.min_share is not None:
        parts.append(f"paling sedikit {number(bound.min_share * 100)} %")
    if bound.max_share is not None:
        parts.append(f"paling banyak {number(bound.max_share * 100)} %")
    if bound.min_count is not None:
        parts.append(f"paling sedikit {bound.min_count} orang")
    if bound.max_count is not None:
        parts.append(f"paling banyak {bound.max_count} orang")
    return ", ".join(parts)


def _distribution(old: Ruleset, new: Ruleset) -> list[Change]:
    out = []
    if old.distribution_strictness != new.distribution_strictness:
        words = {"warn": "peringatan", "error": "wajib (galat)"}
        out.append(
            Change(
                "distribution",
                (
                    f"Pola distribusi: sifat {words.get(old.distribution_strictness, '–')} {ARROW} "
                    f"{words.get(new.distribution_strictness, '–')}"
                ),
            )
        )
    for unit in [*old.distribution, *(u for u in new.distribution if u not in old.distribution)]:
        before = {b.predicates: b for b in old.distribution.get(unit, ())}
        after = {b.predicates: b for b in new.distribution.get(unit, ())}
        for key in [*before, *(k for k in after if k not in before)]:
            what = ", ".join(label(p) for p in key)
            head = f"Pola distribusi unit {label(unit)}, predikat {what}"
            b, a = before.get(key), after.get(key)
            if b is None and a is not None:
                out.append(Change("distribution", f"{head} ditambahkan: {_bound(a)}"))
            elif a is None and b is not None:
                out.append(Change("distribution", f"{head} dihapus"))
            elif a is not None and b is not None and _bound(a) != _bound(b):
                out.append(Change("distribution", f"{head}: {_bound(b)} {ARROW} {_bound(a)}"))
    return out


def _values(
    section: str,
    what: str,
    old: Mapping[str, float],
    new: Mapping[str, float],
    unit: str = "",
) -> list[Change]:
    out = []
    for key in [*old, *(k for k in new if k not in old)]:
        if old.get(key) != new.get(key):
            out.append(
                Change(
                    section,
                    (
                        f"{what} {label(key)}: {_n(old.get(key))}{unit} {ARROW} "
                        f"{_n(new.get(key))}{unit}"
                    ),
                )
            )
    return out


def _allowance(old: Ruleset, new: Ruleset, indicators: Mapping[str, str]) -> list[Change]:
    before = {c.name: c for c in old.components}
    after = {c.name: c for c in new.components}
    out = _values(
        "allowance",
        "Bagian TPP komponen",
        {k: c.share for k, c in before.items()},
        {k: c.share for k, c in after.items()},
        " %",
    )
    for name in [n for n in after if n in before]:
        b, a = before[name], after[name]
        out += _values(
            "allowance",
            f"TPP komponen {label(name)} untuk predikat",
            dict(b.by_predicate),
            dict(a.by_predicate),
            " %",
        )
        out += _rules(
            "allowance",
            f"Pita TPP {label(name)}",
            b.bands,
            a.bands,
            indicators,
            lambda r: r.name,
            lambda v: f"{number(v)} %",
        )
    return out


def summarise(
    old: Ruleset, new: Ruleset, indicators: Mapping[str, str] | None = None
) -> list[Change]:
    """Every change from `old` to `new`, section by section, in words."""
    names = dict(indicators or {})
    out = _weights("raters", "Bobot", old.raters, new.raters, lambda k: _lower(label(k)))
    for aspect in [*old.aspects, *(a for a in new.aspects if a not in old.aspects)]:
        a, b = old.aspects.get(aspect), new.aspects.get(aspect)
        if a is None or b is None:
            verb = "ditambahkan" if a is None else "dihapus"
            out.append(Change("aspects", f"Aspek {label(aspect)} {verb}"))
            continue
        out += _weights(
            "aspects",
            f"Bobot indikator ({label(aspect)})",
            dict(a.indicators),
            dict(b.indicators),
            lambda code: names.get(code, code),
        )
        if a.minimum != b.minimum:
            out.append(
                Change(
                    "aspects",
                    (
                        f"Jumlah minimum butir {label(aspect)} dinilai: "
                        f"{a.minimum} {ARROW} {b.minimum}"
                    ),
                )
            )
        if a.required != b.required:
            out.append(
                Change(
                    "aspects",
                    (f"Aspek {label(aspect)} {'kini wajib' if b.required else 'tidak lagi wajib'}"),
                )
            )
    out += _levels(old, new, names)
    out += _matrix(old, new)
    out += _distribution(old, new)
    out += _rules(
        "awards",
        "Aturan penghargaan",
        old.awards,
        new.awards,
        names,
        lambda r: str(r.outcome),
        str,
        ordered=False,
    )
    out += _rules(
        "training",
        "Aturan pelatihan",
        old.training,
        new.training,
        names,
        lambda r: str(r.outcome),
        str,
        ordered=False,
    )
    out += _values(
        "angka_kredit",
        "Persentase angka kredit predikat",
        old.angka_kredit_percent,
        new.angka_kredit_percent,
        " %",
    )
    out += _values(
        "angka_kredit",
        "Koefisien angka kredit tahunan jenjang",
        old.angka_kredit_koefisien,
        new.angka_kredit_koefisien,
    )
    out += _allowance(old, new, names)
    return out


def summarise_texts(
    old_text: str, new_text: str, indicators: Mapping[str, str] | None = None
) -> list[Change] | None:
    """The summary between two texts, or None when either does not validate (then only the
    text comparison can say what changed)."""
    old, _ = validate(old_text)
    new, _ = validate(new_text)
    if old is None or new is None:
        return None
    return summarise(old, new, indicators)
