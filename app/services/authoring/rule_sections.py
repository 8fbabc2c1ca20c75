"""The forms of the ruleset's sections: which values of a text each form shows, with Indonesian
labels, and the edits a form's submission makes (through `rule_forms`, so the rest of the text
stays byte for byte).

A form never writes YAML structure the engine would refuse: every edited text is validated by the
engine before it is saved (`ruleset_versions.save_draft`/`create_draft` callers check it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain.enums import PREDICATES, label
from app.domain.explanations import fact_name, requirement
from app.engine import (
    JENJANG,
    OPERATORS,
    PREDICATE_COLUMNS,
    PREDICATE_ROWS,
    Rule,
    Ruleset,
    as_tree,
    validate,
)
from app.services.authoring import condition_builder, rule_forms
from app.services.authoring.condition_builder import OPERATOR_WORDS
from app.services.authoring.yaml_edit import format_number
from app.services.errors import InvalidInput

SECTIONS: dict[str, str] = {
    "matriks": "Matriks predikat",
    "tingkat": "Aturan tingkat",
    "penghargaan": "Penghargaan",
    "pelatihan": "Rekomendasi pelatihan",
    "tpp": "Komponen dan pita TPP",
    "distribusi": "Pola distribusi",
    "angka-kredit": "Angka kredit",
}
# What each section decides, shown above its form (glossary terms are linked there).
SECTION_INTROS: dict[str, str] = {
    "matriks": "Matriks menetapkan predikat kinerja dari tingkat hasil kerja (baris) dan "
    "tingkat perilaku kerja (kolom).",
    "tingkat": "Aturan tingkat mengusulkan tingkat setiap aspek terhadap ekspektasi; aturan "
    "dibaca dari atas dan yang pertama terpenuhi berlaku. Pejabat penilai dapat "
    "menetapkan tingkat lain.",
    "penghargaan": "Setiap penghargaan yang syaratnya terpenuhi diberikan; syarat dapat memakai "
    "predikat, riwayat predikat, nilai indikator dan data kepegawaian.",
    "pelatihan": "Rekomendasi pelatihan diberikan bila syaratnya terpenuhi, misalnya nilai "
    "BerAKHLAK di bawah ekspektasi.",
    "tpp": "TPP terdiri atas komponen yang porsinya berjumlah 100; persentase komponen mengikuti "
    "predikat kinerja atau pita yang dibaca dari atas (yang pertama cocok berlaku).",
    "distribusi": "Pola distribusi membatasi sebaran predikat kinerja dalam satu unit menurut "
    "predikat kinerja organisasi unit itu.",
    "angka-kredit": "Angka kredit pejabat fungsional: persentase menurut predikat kinerja dikali "
    "koefisien tahunan jenjang dan lama periode.",
}
# Sections whose rules are a list an officer adds to and removes from with the builder.
RULE_LISTS: dict[str, tuple[str, str, str]] = {
    # section: (list path, outcome key, outcome's name)
    "penghargaan": ("awards", "award", "Nama penghargaan"),
    "pelatihan": ("training", "recommend", "Rekomendasi pelatihan"),
}
_GROUP_KEYS = ("all", "any", "not", "when")


@dataclass
class Row:
    """One input: `path` is the scalar's path in the text."""

    path: str
    label: str
    value: str
    kind: str = "number"  # number, choice, text
    choices: list[tuple[str, str]] = field(default_factory=list)
    hint: str = ""


@dataclass
class Group:
    """A block of the form: a heading, maybe a rule (its sentence, its place in a list)."""

    title: str
    rows: list[Row] = field(default_factory=list)
    sentence: str = ""
    list_path: str = ""
    index: int = -1
    size: int = 0
    conditional: bool = False  # a rule with a `when` the builder can edit


def _fact_and_op(keys: tuple[str, ...]) -> tuple[str, str]:
    """The fact and operator of the threshold at …when.<fact>.<op> (group keys skipped)."""
    after = keys[keys.index("when") + 1 :] if "when" in keys else keys
    parts = [k for k in after if not k.isdigit() and k not in _GROUP_KEYS]
    if len(parts) > 1 and parts[-1] in OPERATORS:
        return parts[-2], parts[-1]
    return parts[-1], "eq"


def _condition_rows(
    text: str, under: str, indicators: dict[str, str], aspect: str = ""
) -> list[Row]:
    """The numbers of a rule's condition (thresholds) as inputs named in words."""
    rows = []
    for scalar in rule_forms.scalars(text, under).values():
        if scalar.number is None or "in" in scalar.keys or "not_in" in scalar.keys:
            continue
        fact, op = _fact_and_op(scalar.keys)
        path = fact
        if (
            aspect
            and not fact.startswith(f"{aspect}.")
            and fact.split(".")[0]
            not in (
                "indicator",
                "employee",
                "unit",
                "history",
                "period",
                "raters",
            )
        ):
            path = f"{aspect}.{fact}"
        hint = "0 sampai 1 (0,5 = separuh)" if ".share." in f".{path}" else ""
        name = f"{fact_name(path, indicators)} {OPERATOR_WORDS[op]}"
        rows.append(Row(scalar.path, name, format_number(scalar.number), hint=hint))
    return rows


def _sentence(rule: Rule | None, indicators: dict[str, str]) -> str:
    if rule is None:
        return ""
    return requirement(as_tree(rule.when), indicators)


def _choice(path: str, title: str, value: str, codes: tuple[str, ...]) -> Row:
    return Row(path, title, value, "choice", [(c, label(c)) for c in codes])


def parse(text: str) -> Ruleset | None:
    """The engine's model of a text, or None when it does not validate."""
    return validate(text)[0]


def groups(text: str, model: Ruleset, section: str, indicators: dict[str, str]) -> list[Group]:
    """The form of one section of a valid text."""
    if section not in SECTIONS:
        raise InvalidInput("Bagian aturan tidak dikenal.")
    values = rule_forms.scalars(text)
    out: list[Group] = []
    if section == "matriks":
        group = Group("Matriks predikat")
        rows = model.aspects[PREDICATE_ROWS].scale.levels
        cols = model.aspects[PREDICATE_COLUMNS].scale.levels
        for row in reversed(rows):
            for col in reversed(cols):
                path = f"predicate.{row}.{col}"
                if path in values:
                    group.rows.append(
                        _choice(
                            path, f"{label(row)} × {label(col)}", values[path].value, PREDICATES
                        )
                    )
        out.append(group)
    elif section == "tingkat":
        for aspect, rules in model.levels.items():
            entries = rule_forms.items(text, f"levels.{aspect}")
            for i in range(len(entries)):
                rule = rules[i] if i < len(rules) else None
                base = f"levels.{aspect}.{i}"
                group = Group(
                    label(aspect), list_path=f"levels.{aspect}", index=i, size=len(entries)
                )
                group.sentence = _sentence(rule, indicators)
                group.conditional = rule is not None and has_condition(rule)
                if group.sentence == "selalu berlaku":
                    group.sentence = "selebihnya (tanpa syarat)"
                level = values.get(f"{base}.level")
                if level is not None:
                    group.rows.append(
                        _choice(
                            level.path, "Tingkat", level.value, model.aspects[aspect].scale.levels
                        )
                    )
                group.rows += _condition_rows(text, f"{base}.when", indicators, aspect)
                out.append(group)
    elif section in RULE_LISTS:
        list_path, key, name = RULE_LISTS[section]
        rules = model.awards if list_path == "awards" else model.training
        entries = rule_forms.items(text, list_path)
        for i in range(len(entries)):
            rule = rules[i] if i < len(rules) else None
            group = Group(
                rule.name if rule else str(i + 1),
                list_path=list_path,
                index=i,
                size=len(entries),
                sentence=_sentence(rule, indicators),
                conditional=rule is not None and has_condition(rule),
            )
            outcome = values.get(f"{list_path}.{i}.{key}")
            if outcome is not None:
                group.rows.append(Row(outcome.path, name, outcome.value, "text"))
            group.rows += _condition_rows(text, f"{list_path}.{i}.when", indicators)
            out.append(group)
    elif section == "tpp":
        base = "consequences.allowance"
        comp = Group("Porsi komponen TPP (jumlah 100)")
        for s in rule_forms.scalars(text, f"{base}.components").values():
            comp.rows.append(Row(s.path, f"Komponen {label(s.keys[-1])}", s.value))
        out.append(comp)
        for c in model.components:
            if c.by_predicate:
                g = Group(f"Persentase komponen {label(c.name)} menurut predikat")
                for s in rule_forms.scalars(text, f"{base}.{c.name}_percent").values():
                    g.rows.append(Row(s.path, label(s.keys[-1]), s.value, hint="%"))
                out.append(g)
            bands = rule_forms.items(text, f"{base}.{c.name}_percent") if c.bands else []
            for i, band in enumerate(c.bands):
                b = f"{base}.{c.name}_percent.{i}"
                g = Group(
                    f"Pita komponen {label(c.name)}: {band.name}",
                    sentence=_sentence(band, indicators) or "selebihnya",
                    list_path=f"{base}.{c.name}_percent" if bands else "",
                    index=i,
                    size=len(bands),
                    conditional=has_condition(band),
                )
                percent = values.get(f"{b}.percent")
                if percent is not None:
                    g.rows.append(Row(percent.path, "Persentase", percent.value, hint="%"))
                g.rows += _condition_rows(text, f"{b}.when", indicators)
                out.append(g)
    elif section == "distribusi":
        strict = values.get("distribution.strictness")
        if strict is not None:
            g = Group("Sifat pola distribusi")
            choices = [("warn", "Peringatan saja"), ("error", "Wajib (galat)")]
            g.rows.append(Row(strict.path, "Bila pola dilanggar", strict.value, "choice", choices))
            out.append(g)
        for unit, bounds in model.distribution.items():
            g = Group(f"Unit dengan predikat organisasi {label(unit)}")
            for i, bound in enumerate(bounds):
                who = ", ".join(label(p) for p in bound.predicates)
                for s in rule_forms.scalars(text, f"distribution.{unit}.{i}").values():
                    words = {
                        "min": "bagian paling sedikit (0–1)",
                        "max": "bagian paling banyak (0–1)",
                        "min_count": "paling sedikit (orang)",
                        "max_count": "paling banyak (orang)",
                    }
                    if s.keys[-1] in words:
                        g.rows.append(Row(s.path, f"{who}: {words[s.keys[-1]]}", s.value))
            out.append(g)
    elif section == "angka-kredit":
        base = "consequences.angka_kredit"
        g = Group("Persentase angka kredit menurut predikat")
        for s in rule_forms.scalars(text, f"{base}.percent").values():
            g.rows.append(Row(s.path, label(s.keys[-1]), s.value, hint="%"))
        out.append(g)
        k = Group("Koefisien tahunan menurut jenjang")
        for s in rule_forms.scalars(text, f"{base}.koefisien").values():
            if s.keys[-1] in JENJANG:
                k.rows.append(Row(s.path, label(s.keys[-1]), s.value))
        out.append(k)
    return out


def parse_values(section_groups: list[Group], form: dict[str, str]) -> dict[str, Any]:
    """The typed values of a submitted form, checked per row; only rows of this form."""
    out: dict[str, Any] = {}
    for group in section_groups:
        for row in group.rows:
            raw = form.get(f"v:{row.path}")
            if raw is None:
                continue
            raw = raw.strip()
            if row.kind == "number":
                try:
                    value = float(raw.replace(",", "."))
                except ValueError:
                    raise InvalidInput(f"{row.label}: isi dengan angka.") from None
                out[row.path] = int(value) if value.is_integer() else value
            elif row.kind == "choice":
                if raw not in {code for code, _ in row.choices}:
                    raise InvalidInput(f"{row.label}: pilih dari daftar.")
                out[row.path] = raw
            else:
                if not raw:
                    raise InvalidInput(f"{row.label} tidak boleh kosong.")
                out[row.path] = raw
    return out


def new_rule(
    text: str,
    model: Ruleset,
    section: str,
    name: str,
    outcome: str,
    tree: Any,
    indicators: dict[str, str],
) -> str:
    """The text with a new award or training rule built with the condition builder."""
    list_path, key, what = RULE_LISTS[section]
    name = name.strip()
    if not name or not rule_forms._PLAIN_TEXT.match(name) or " " in name:
        raise InvalidInput(
            "Nama aturan wajib diisi: huruf kecil, angka dan tanda hubung, tanpa spasi "
            "(mis. pelayan-publik-teladan)."
        )
    existing = model.awards if list_path == "awards" else model.training
    if any(rule.name == name for rule in existing):
        raise InvalidInput(f"Nama aturan '{name}' sudah dipakai.")
    if not outcome.strip():
        raise InvalidInput(f"{what} wajib diisi.")
    known = {f.path: f for f in condition_builder.facts(model, indicators)}
    checked = condition_builder.check(tree, known)
    fields = [
        ("name", name),
        ("when", condition_builder.to_yaml(checked)),
        (key, rule_forms.quote(outcome.strip())),
    ]
    return rule_forms.insert_item(text, list_path, fields, 10_000)


def rule_lists(model: Ruleset) -> dict[str, tuple[str, str | None, tuple[Rule, ...]]]:
    """Every list of conditional rules in a text, by list path: (section, the aspect whose
    level rules it holds or None, its rules in order)."""
    out: dict[str, tuple[str, str | None, tuple[Rule, ...]]] = {
        "awards": ("penghargaan", None, tuple(model.awards)),
        "training": ("pelatihan", None, tuple(model.training)),
    }
    for aspect, rules in model.levels.items():
        out[f"levels.{aspect}"] = ("tingkat", aspect, tuple(rules))
    for component in model.components:
        if component.bands:
            out[f"consequences.allowance.{component.name}_percent"] = (
                "tpp",
                None,
                tuple(component.bands),
            )
    return out


def rule_at(model: Ruleset, list_path: str, index: int) -> tuple[str | None, Rule]:
    """The rule at a list position, and the aspect its condition is read for (level rules)."""
    found = rule_lists(model).get(list_path)
    if found is None or not 0 <= index < len(found[2]):
        raise InvalidInput("Aturan itu tidak ada lagi; muat ulang halaman.")
    return found[1], found[2][index]


def has_condition(rule: Rule) -> bool:
    """Whether a rule has a `when` (the last level rule and band usually have none)."""
    return as_tree(rule.when) != {"all": []}


def builder_facts(
    model: Ruleset, aspect: str | None, indicators: dict[str, str]
) -> list[condition_builder.Fact]:
    """The facts the builder offers for a rule: a level rule only reads what is known before
    levels are decided."""
    return condition_builder.facts(model, indicators, aspect=aspect)


def with_condition(
    text: str,
    model: Ruleset,
    list_path: str,
    index: int,
    tree: Any,
    indicators: dict[str, str],
) -> str:
    """The text with one rule's condition replaced by the builder's, every other character
    kept. An unchanged condition is refused rather than rewritten in another layout."""
    aspect, rule = rule_at(model, list_path, index)
    if not has_condition(rule):
        raise InvalidInput("Aturan ini berlaku tanpa syarat; syaratnya tidak dapat diubah di sini.")
    known = {f.path: f for f in builder_facts(model, aspect, indicators)}
    checked = condition_builder.check(tree, known)
    current = condition_builder.check(condition_builder.as_builder_tree(as_tree(rule.when)), known)
    if checked == current:
        raise InvalidInput("Syarat tidak berubah.")
    new = condition_builder.to_yaml(checked, aspect)
    return rule_forms.replace_value(text, f"{list_path}.{index}", "when", new)


def default_position(rules: tuple[Rule, ...] | list[Rule]) -> int:
    """Where a new level rule or band goes unless the officer says otherwise: before the first
    one without a condition (those after it would never be reached)."""
    return next((i for i, rule in enumerate(rules) if not has_condition(rule)), len(rules))


def new_band(
    text: str,
    model: Ruleset,
    list_path: str,
    name: str,
    percent: str,
    position: int,
    tree: Any,
    indicators: dict[str, str],
) -> str:
    """The text with a new TPP band at `position` of a component's band list, written as the
    bands around it are (one line each); the engine validates the result."""
    found = rule_lists(model).get(list_path)
    if found is None or found[0] != "tpp":
        raise InvalidInput("Komponen TPP itu tidak memakai pita.")
    name = name.strip()
    if not name or not rule_forms._PLAIN_TEXT.match(name) or " " in name:
        raise InvalidInput(
            "Nama pita wajib diisi: huruf kecil, angka dan tanda hubung, tanpa spasi "
            "(mis. tpp-disiplin-sedang)."
        )
    if any(rule.name == name for rule in found[2]):
        raise InvalidInput(f"Nama pita '{name}' sudah dipakai.")
    try:
        value = float(percent.strip().replace(",", "."))
    except ValueError:
        raise InvalidInput("Persentase pita: isi dengan angka 0 sampai 100.") from None
    if not 0 <= value <= 100:
        raise InvalidInput("Persentase pita: isi dengan angka 0 sampai 100.")
    known = {f.path: f for f in builder_facts(model, None, indicators)}
    checked = condition_builder.check(tree, known)
    fields = [
        ("name", name),
        ("when", condition_builder.to_yaml(checked)),
        ("percent", format_number(int(value) if value.is_integer() else value)),
    ]
    return rule_forms.insert_item(text, list_path, fields, position)


def new_level_rule(
    text: str,
    model: Ruleset,
    aspect: str,
    level: str,
    position: int,
    tree: Any,
    indicators: dict[str, str],
) -> str:
    """The text with a new level rule of `aspect` at `position` (0-based), its condition from
    the builder; the engine validates the result (an unreachable rule is refused there)."""
    if aspect not in model.levels:
        raise InvalidInput("Aspek itu tidak memiliki aturan tingkat.")
    if level not in model.aspects[aspect].scale.levels:
        raise InvalidInput("Pilih tingkat dari daftar.")
    known = {f.path: f for f in builder_facts(model, aspect, indicators)}
    checked = condition_builder.check(tree, known)
    fields = [("level", level), ("when", condition_builder.to_yaml(checked, aspect))]
    return rule_forms.insert_item(text, f"levels.{aspect}", fields, position)
