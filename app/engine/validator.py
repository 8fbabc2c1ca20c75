"""Validation: located YAML -> typed `Ruleset`, reporting every mistake in one run.

Each check appends an `Issue` and carries on with a safe placeholder, so a policy officer sees all
mistakes of a file at once instead of fixing them one save at a time. Messages are Indonesian and
name the regulation's terms the officer wrote.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, TypeGuard

from app.domain.enums import RaterKind
from app.engine.conditions import ConditionParser, Resolver, render
from app.engine.errors import Issue
from app.engine.loader import DEFAULT_LIMITS, Limits, LList, LMap, load_located
from app.engine.model import (
    ALWAYS,
    EMPLOYEE_STATUSES,
    JABATAN_KINDS,
    JENJANG,
    ORGANISATION_PREDICATES,
    PERIOD_KINDS,
    PREDICATE_COLUMNS,
    PREDICATE_ROWS,
    PREDICATES,
    RATER_KINDS,
    Aspect,
    Bound,
    Component,
    Cond,
    FactType,
    Rule,
    Ruleset,
    Scale,
)

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_RULE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.#-]*$")
_TOP_KEYS = (
    "name",
    "description",
    "scales",
    "raters",
    "aspects",
    "levels",
    "predicate",
    "distribution",
    "awards",
    "training",
    "consequences",
)
Mark = tuple[int, int]
# Who rates a section that names no raters; the plain value, as weights are keyed by the input's.
SUPERVISOR = RaterKind.SUPERVISOR.value


def checksum(text: str) -> str:
    """A ruleset text's identity: its compiled rules are registered under it, and the app stores
    and compares versions by it (so the same bytes are always the same ruleset)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _is_number(value: object) -> TypeGuard[float]:
    """An int or a float, and not a bool (YAML's true and false are not numbers here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _ident_ok(value: Any, pattern: re.Pattern[str]) -> bool:
    return isinstance(value, str) and bool(pattern.match(value)) and "__" not in value


class _Validator:
    def __init__(
        self, indicators: set[str] | None, allowed: dict[str, tuple[str, ...]] | None = None
    ) -> None:
        self.catalogue = indicators
        # the catalogue's rater kinds per code, when its entries (not only codes) were given
        self.allowed = allowed or {}
        self.issues: list[Issue] = []
        self.rule_names: dict[str, Mark] = {}
        self.scales: dict[str, Scale] = {}
        self.aspects: dict[str, Aspect] = {}
        self.fact_types: dict[str, FactType] = {}

    # -- helpers --------------------------------------------------------------------------
    def issue(self, mark: Mark, message: str) -> None:
        self.issues.append(Issue(mark[0], mark[1], message))

    def mapping(self, node: Any, mark: Mark, where: str) -> LMap | None:
        if isinstance(node, LMap):
            return node
        self.issue(mark, f"'{where}' harus berupa pemetaan (kunci: nilai).")
        return None

    def listing(self, node: Any, mark: Mark, where: str) -> LList | None:
        if isinstance(node, LList):
            return node
        self.issue(mark, f"'{where}' harus berupa daftar.")
        return None

    def keys(self, node: LMap, allowed: Iterable[str], required: Iterable[str], where: str) -> None:
        allowed = tuple(allowed)
        for key in node:
            if key not in allowed:
                self.issue(
                    node.key_marks[key],
                    f"Kunci '{key}' tidak dikenal di {where}; "
                    f"yang diizinkan: {', '.join(allowed)}.",
                )
        for key in required:
            if key not in node:
                self.issue(node.mark, f"Kunci '{key}' wajib ada di {where}.")

    def rule_name(self, name: Any, mark: Mark) -> str:
        if not isinstance(name, str) or not _RULE_NAME.match(name):
            self.issue(mark, f"Nama aturan '{name}' tidak valid (huruf, angka, '-', '_', '.').")
            return str(name)
        if name in self.rule_names:
            first = self.rule_names[name]
            self.issue(mark, f"Nama aturan '{name}' ganda (pertama di baris {first[0]}).")
        else:
            self.rule_names[name] = mark
        return name

    def number(self, value: Any, mark: Mark, what: str, positive: bool = True) -> float:
        if not _is_number(value) or (value <= 0 if positive else value < 0):
            rule = "bilangan positif" if positive else "bilangan tidak negatif"
            self.issue(mark, f"{what} harus {rule}; ditemukan '{value}'.")
            return 1.0
        return value

    # -- sections -------------------------------------------------------------------------
    def run(self, doc: Any, text: str) -> Ruleset | None:
        top = self.mapping(doc, (1, 1), "dokumen")
        if top is None:
            return None
        self.keys(top, _TOP_KEYS, ("name", "scales", "aspects"), "tingkat atas")
        name = top.get("name")
        if "name" in top and (not isinstance(name, str) or not name.strip()):
            self.issue(top.value_marks["name"], "'name' harus berupa teks yang tidak kosong.")
        if "description" in top and not isinstance(top["description"], str):
            self.issue(top.value_marks["description"], "'description' harus berupa teks.")
        self.section_scales(top.get("scales"), top.value_marks.get("scales", top.mark))
        raters = self.section_raters(top.get("raters"), top.value_marks.get("raters", top.mark))
        self.section_aspects(top.get("aspects"), top.value_marks.get("aspects", top.mark), raters)
        self.build_fact_types()
        levels = self.section_levels(top.get("levels"), top.value_marks.get("levels"))
        predicate = self.section_predicate(
            top.get("predicate"), top.value_marks.get("predicate"), levels
        )
        awards = self.section_rules(top.get("awards"), top.value_marks.get("awards"), "awards")
        training = self.section_rules(
            top.get("training"), top.value_marks.get("training"), "training"
        )
        percent, koefisien, components = self.section_consequences(
            top.get("consequences"), top.value_marks.get("consequences")
        )
        distribution, strictness = self.section_distribution(
            top.get("distribution"), top.value_marks.get("distribution")
        )
        if self.issues:
            return None
        return Ruleset(
            name=str(name),
            checksum=checksum(text),
            text=text,
            scales=self.scales,
            raters=raters,
            aspects=self.aspects,
            levels=levels,
            predicate=predicate,
            awards=awards,
            training=training,
            angka_kredit_percent=percent,
            angka_kredit_koefisien=koefisien,
            components=components,
            distribution=distribution,
            distribution_strictness=strictness,
            fact_types=self.fact_types,
        )

    def section_scales(self, node: Any, mark: Mark) -> None:
        scales = self.mapping(node, mark, "scales")
        if scales is None:
            return
        for name, spec in scales.items():
            key_mark, value_mark = scales.key_marks[name], scales.value_marks[name]
            if not _ident_ok(name, _NAME):
                self.issue(key_mark, f"Nama skala '{name}' tidak valid (huruf kecil, angka, '_').")
            if isinstance(spec, LList):
                levels = self.level_names(spec, f"skala '{name}'")
                if len(levels) < 2:
                    self.issue(
                        value_mark, f"Skala '{name}' membutuhkan paling sedikit dua tingkat."
                    )
                self.scales[name] = Scale(name, tuple(levels))
            elif isinstance(spec, LMap):
                self.keys(spec, ("min", "max", "levels"), ("min", "max"), f"skala '{name}'")
                low, high = spec.get("min"), spec.get("max")
                if not (_is_number(low) and _is_number(high)) or low >= high:
                    self.issue(
                        value_mark, f"Skala '{name}': 'min' dan 'max' harus angka, min < max."
                    )
                    low, high = 0, 1
                levels = []
                if "levels" in spec:
                    lv = self.listing(spec["levels"], spec.value_marks["levels"], "levels")
                    levels = self.level_names(lv, f"skala '{name}'") if lv is not None else []
                self.scales[name] = Scale(name, tuple(levels), float(low), float(high))
            else:
                self.issue(
                    value_mark,
                    f"Skala '{name}' harus berupa daftar tingkat atau {{min: .., max: ..}}.",
                )

    def level_names(self, node: LList, where: str) -> list[str]:
        names: list[str] = []
        for item, item_mark in zip(node, node.item_marks, strict=True):
            if not _ident_ok(item, _NAME):
                self.issue(item_mark, f"Nama tingkat '{item}' di {where} tidak valid.")
            elif item in names:
                self.issue(item_mark, f"Tingkat '{item}' ganda di {where}.")
            else:
                names.append(item)
        return names

    def section_raters(self, node: Any, mark: Mark) -> dict[str, float]:
        if node is None:
            return {SUPERVISOR: 1.0}
        raters = self.mapping(node, mark, "raters")
        if raters is None:
            return {SUPERVISOR: 1.0}
        out: dict[str, float] = {}
        for kind, weight in raters.items():
            if kind not in RATER_KINDS:
                self.issue(
                    raters.key_marks[kind],
                    f"Jenis penilai '{kind}' tidak dikenal; pilihan: {', '.join(RATER_KINDS)}.",
                )
                continue
            out[kind] = self.number(
                weight, raters.value_marks[kind], f"Bobot penilai '{kind}'", positive=False
            )
        if out and not any(w > 0 for w in out.values()):
            self.issue(raters.mark, "Paling sedikit satu jenis penilai harus berbobot positif.")
        return out

    def section_aspects(self, node: Any, mark: Mark, weights: dict[str, float]) -> None:
        aspects = self.mapping(node, mark, "aspects")
        if aspects is None:
            return
        if not aspects:
            self.issue(mark, "'aspects' tidak boleh kosong.")
        seen_codes: dict[str, str] = {}
        for name, spec in aspects.items():
            key_mark, value_mark = aspects.key_marks[name], aspects.value_marks[name]
            where = f"aspek '{name}'"
            if not _ident_ok(name, _NAME):
                self.issue(key_mark, f"Nama aspek '{name}' tidak valid.")
            if name in ("indicator", "employee", "unit", "history", "raters", "predicate"):
                self.issue(key_mark, f"Nama aspek '{name}' sudah dipakai sebagai nama fakta.")
            spec = self.mapping(spec, value_mark, where)
            if spec is None:
                continue
            self.keys(
                spec,
                ("scale", "source", "indicators", "minimum", "required", "label", "raters"),
                ("scale",),
                where,
            )
            scale = self.scales.get(spec["scale"]) if "scale" in spec else None
            if "scale" in spec and scale is None:
                self.issue(
                    spec.value_marks["scale"], f"Skala '{spec['scale']}' tidak didefinisikan."
                )
            scale = scale or Scale("?", ("?", "??"))
            if ("source" in spec) == ("indicators" in spec):
                self.issue(
                    spec.mark, f"{where}: isi tepat satu dari 'source: rhk' atau 'indicators'."
                )
            source = "indicators"
            codes: list[tuple[str, float]] = []
            if "source" in spec:
                source = "rhk"
                if spec["source"] != "rhk":
                    self.issue(spec.value_marks["source"], "'source' hanya boleh bernilai 'rhk'.")
            if "indicators" in spec:
                codes = self.indicator_list(spec["indicators"], spec.value_marks["indicators"])
                for code, _ in codes:
                    if code in seen_codes:
                        self.issue(
                            spec.value_marks["indicators"],
                            f"Indikator '{code}' sudah dipakai di aspek '{seen_codes[code]}'.",
                        )
                    seen_codes[code] = name
            minimum = spec.get("minimum", 1)
            if not isinstance(minimum, int) or isinstance(minimum, bool) or minimum < 1:
                self.issue(
                    spec.value_marks.get("minimum", spec.mark),
                    "'minimum' harus bilangan bulat ≥ 1.",
                )
                minimum = 1
            required = spec.get("required", True)
            if not isinstance(required, bool):
                self.issue(spec.value_marks["required"], "'required' harus true atau false.")
                required = True
            if "label" in spec and not isinstance(spec["label"], str):
                self.issue(spec.value_marks["label"], "'label' harus berupa teks.")
            deciding: tuple[str, ...] = ()
            if "raters" in spec:
                deciding = self.aspect_raters(spec["raters"], spec.value_marks["raters"], weights)
                self.raters_in_catalogue(name, spec["raters"], deciding, codes)
            self.aspects[name] = Aspect(
                name, scale, source, tuple(codes), minimum, required, deciding
            )

    def aspect_raters(self, node: Any, mark: Mark, weights: dict[str, float]) -> tuple[str, ...]:
        """The rater kinds that decide an aspect: known kinds with a positive weight."""
        kinds = self.listing(node, mark, "raters")
        if kinds is None:
            return ()
        if not kinds:
            self.issue(mark, "'raters' aspek tidak boleh kosong.")
        out: list[str] = []
        for kind, kind_mark in zip(kinds, kinds.item_marks, strict=True):
            if kind not in RATER_KINDS:
                self.issue(
                    kind_mark,
                    f"Jenis penilai '{kind}' tidak dikenal; pilihan: {', '.join(RATER_KINDS)}.",
                )
            elif kind in out:
                self.issue(kind_mark, f"Jenis penilai '{kind}' ganda.")
            elif weights.get(kind, 0) <= 0:
                self.issue(
                    kind_mark,
                    f"Jenis penilai '{kind}' tidak berbobot positif di 'raters' tingkat atas; "
                    "penilaiannya tidak dapat menentukan aspek.",
                )
            else:
                out.append(kind)
        return tuple(out)

    def raters_in_catalogue(
        self, aspect: str, node: Any, deciding: tuple[str, ...], codes: list[tuple[str, float]]
    ) -> None:
        """A kind named to decide an aspect must be one the indicator catalogue lets rate at
        least one of the aspect's indicators: otherwise every rating it gives is refused at
        evaluation time, and the aspect could never be decided by it."""
        listed = [self.allowed[code] for code, _ in codes if code in self.allowed]
        if not listed or not isinstance(node, LList):
            return
        for kind, kind_mark in zip(node, node.item_marks, strict=True):
            if kind in deciding and not any(kind in kinds for kinds in listed):
                self.issue(
                    kind_mark,
                    f"Jenis penilai '{kind}' tidak diizinkan katalog indikator menilai "
                    f"indikator aspek '{aspect}' "
                    f"({', '.join(code for code, _ in codes)}); "
                    "ubah 'raters' aspek atau kolom 'raters' di katalog.",
                )

    def indicator_list(self, node: Any, mark: Mark) -> list[tuple[str, float]]:
        out: list[tuple[str, float]] = []
        if isinstance(node, LList):
            pairs = [(c, 1, m, m) for c, m in zip(node, node.item_marks, strict=True)]
        elif isinstance(node, LMap):
            pairs = [(c, w, node.key_marks[c], node.value_marks[c]) for c, w in node.items()]
        else:
            self.issue(mark, "'indicators' harus berupa daftar kode atau pemetaan kode: bobot.")
            return out
        if not pairs:
            self.issue(mark, "'indicators' tidak boleh kosong.")
        for code, weight, code_mark, weight_mark in pairs:
            if not _ident_ok(code, _CODE):
                self.issue(
                    code_mark, f"Kode indikator '{code}' tidak valid (HURUF_BESAR, angka, '_')."
                )
                continue
            if self.catalogue is not None and code not in self.catalogue:
                self.issue(code_mark, f"Kode indikator '{code}' tidak ada di katalog indikator.")
            if any(code == c for c, _ in out):
                self.issue(code_mark, f"Indikator '{code}' ganda.")
                continue
            out.append((code, self.number(weight, weight_mark, f"Bobot indikator '{code}'")))
        return out

    def build_fact_types(self) -> None:
        """Every fact path this ruleset can mention, with its type."""
        types = self.fact_types
        types["employee.jabatan"] = FactType("text", JABATAN_KINDS)
        types["employee.golongan"] = FactType("text")
        types["employee.unit"] = FactType("text")
        types["employee.status"] = FactType("text", EMPLOYEE_STATUSES)
        types["employee.jenjang"] = FactType("text", JENJANG)
        types["employee.is_unit_head"] = FactType("bool")
        types["period.kind"] = FactType("text", PERIOD_KINDS)
        types["period.months"] = FactType("number")
        types["unit.predicate"] = FactType("level", ORGANISATION_PREDICATES)
        types["history.sangat_baik_streak"] = FactType("number")
        types["history.baik_years"] = FactType("number")
        types["history.previous_predicate"] = FactType("level", PREDICATES)
        types["predicate"] = FactType("level", PREDICATES)
        for kind in RATER_KINDS:
            types[f"raters.{kind}.count"] = FactType("number")
        number = FactType("number")
        for aspect in self.aspects.values():
            scale = aspect.scale
            for code, _ in aspect.indicators:
                types[f"indicator.{code}"] = (
                    FactType("level", scale.levels) if scale.ordered else number
                )
            a = aspect.name
            types[f"{a}.score"] = number
            types[f"{a}.total"] = number
            if scale.levels:
                types[f"{a}.level"] = FactType("level", scale.levels)
            if aspect.source == "rhk" and not scale.ordered:
                # RHK scored on a numeric scale (capaian, realisation against target in %):
                # the mean and the lowest value, of all RHK and of the utama and tambahan ones
                for group in ("", "utama.", "tambahan."):
                    for fact in ("total", "score", "min"):
                        types[f"{a}.{group}{fact}"] = number
            if scale.ordered:
                groups = ("", "utama.", "tambahan.") if aspect.source == "rhk" else ("",)
                for group in groups:
                    types[f"{a}.{group}total"] = number
                    for level in scale.levels:
                        types[f"{a}.{group}count.{level}"] = number
                        types[f"{a}.{group}share.{level}"] = number

    def resolver(self, aspect: str | None) -> Resolver:
        """Resolve paths for level rules of `aspect`, or (None) for later stages."""

        def resolve(path: str) -> tuple[str, FactType] | str:
            candidates = [path]
            if aspect is not None and path.split(".")[0] not in self.aspects:
                candidates.insert(0, f"{aspect}.{path}")
            for full in candidates:
                ftype = self.fact_types.get(full)
                if ftype is None:
                    continue
                if aspect is not None and (full == "predicate" or full.endswith(".level")):
                    return f"Aturan tingkat tidak boleh memakai '{full}' (diputuskan kemudian)."
                return full, ftype
            return f"Fakta '{path}' tidak dikenal (lihat docs/rules.md, bagian fakta)."

        return resolve

    def section_levels(self, node: Any, mark: Mark | None) -> dict[str, tuple[Rule, ...]]:
        out: dict[str, tuple[Rule, ...]] = {}
        if node is None:
            return out
        levels = self.mapping(node, mark or (1, 1), "levels")
        if levels is None:
            return out
        for aspect_name, entries in levels.items():
            key_mark, value_mark = levels.key_marks[aspect_name], levels.value_marks[aspect_name]
            aspect = self.aspects.get(aspect_name)
            if aspect is None:
                self.issue(key_mark, f"Aspek '{aspect_name}' tidak didefinisikan di 'aspects'.")
                continue
            allowed = aspect.scale.levels
            if not allowed:
                self.issue(
                    key_mark,
                    f"Skala '{aspect.scale.name}' tidak punya 'levels'; "
                    "aspek ini tidak bisa diberi tingkat.",
                )
                continue
            entries = self.listing(entries, value_mark, f"levels.{aspect_name}")
            if entries is None:
                continue
            if not entries:
                self.issue(value_mark, f"'levels.{aspect_name}' tidak boleh kosong.")
                continue
            parser = ConditionParser(self.resolver(aspect_name), self.issues)
            rules: list[Rule] = []
            closed_at: Mark | None = None
            used: dict[str, int] = {}
            for entry, entry_mark in zip(entries, entries.item_marks, strict=True):
                entry = self.mapping(entry, entry_mark, f"levels.{aspect_name}")
                if entry is None:
                    continue
                self.keys(
                    entry,
                    ("level", "when", "name", "without_ratings"),
                    ("level",),
                    f"levels.{aspect_name}",
                )
                level = entry.get("level")
                if "level" in entry and level not in allowed:
                    self.issue(
                        entry.value_marks["level"],
                        f"Tingkat '{level}' tidak ada di skala '{aspect.scale.name}'; "
                        f"pilihan: {', '.join(allowed)}.",
                    )
                if closed_at is not None:
                    self.issue(
                        entry_mark,
                        f"Aturan ini tidak pernah tercapai: aturan tanpa 'when' di baris "
                        f"{closed_at[0]} sudah menangkap semua kasus.",
                    )
                when: Cond = ALWAYS
                if "when" in entry:
                    when = parser.parse(entry["when"], entry.value_marks["when"])
                    if any(r.when == when for r in rules):
                        self.issue(
                            entry.value_marks["when"],
                            "Aturan ini tidak pernah tercapai: "
                            "kondisi yang sama sudah ada di atasnya.",
                        )
                else:
                    closed_at = closed_at or entry_mark
                if "name" in entry:
                    name = self.rule_name(entry["name"], entry.value_marks["name"])
                else:
                    used[str(level)] = used.get(str(level), 0) + 1
                    suffix = f"#{used[str(level)]}" if used[str(level)] > 1 else ""
                    name = self.rule_name(f"{aspect_name}.{level}{suffix}", entry_mark)
                unrated = entry.get("without_ratings", False)
                if not isinstance(unrated, bool):
                    self.issue(
                        entry.value_marks["without_ratings"],
                        "'without_ratings' harus true atau false.",
                    )
                    unrated = False
                if unrated and "when" not in entry:
                    self.issue(
                        entry.value_marks["without_ratings"],
                        "Aturan 'without_ratings: true' membutuhkan 'when' (tanpa syarat, "
                        "setiap pegawai yang belum dinilai akan diberi tingkat).",
                    )
                rules.append(Rule(name, when, level, render(when), unrated))
            if closed_at is None:
                self.issue(
                    entries.item_marks[-1],
                    f"Ada kasus yang tidak terklasifikasi di 'levels.{aspect_name}': "
                    "tambahkan aturan penutup tanpa 'when' di akhir daftar.",
                )
            out[aspect_name] = tuple(rules)
        return out

    def section_predicate(
        self, node: Any, mark: Mark | None, levels: dict[str, tuple[Rule, ...]]
    ) -> tuple[Rule, ...]:
        if node is None:
            return ()
        table = self.mapping(node, mark or (1, 1), "predicate")
        if table is None:
            return ()
        rows_aspect = self.aspects.get(PREDICATE_ROWS)
        cols_aspect = self.aspects.get(PREDICATE_COLUMNS)
        for needed, aspect in ((PREDICATE_ROWS, rows_aspect), (PREDICATE_COLUMNS, cols_aspect)):
            if aspect is None or not aspect.scale.levels:
                self.issue(
                    table.mark,
                    f"Tabel predikat membutuhkan aspek '{needed}' pada skala bertingkat "
                    "atau skala angka yang menyebut 'levels'.",
                )
                return ()
            if needed not in levels:
                self.issue(table.mark, f"Tabel predikat membutuhkan 'levels.{needed}'.")
        assert rows_aspect is not None and cols_aspect is not None
        rows, cols = rows_aspect.scale.levels, cols_aspect.scale.levels
        rules: list[Rule] = []
        for row in table:
            if row not in rows:
                self.issue(
                    table.key_marks[row],
                    f"Baris '{row}' bukan tingkat '{PREDICATE_ROWS}'; pilihan: {', '.join(rows)}.",
                )
        for row in rows:
            if row not in table:
                self.issue(table.mark, f"Baris predikat '{row}' tidak ada.")
                continue
            cells = self.mapping(table[row], table.value_marks[row], f"predicate.{row}")
            if cells is None:
                continue
            for col in cells:
                if col not in cols:
                    self.issue(
                        cells.key_marks[col],
                        f"Kolom '{col}' bukan tingkat '{PREDICATE_COLUMNS}'; "
                        f"pilihan: {', '.join(cols)}.",
                    )
            for col in cols:
                if col not in cells:
                    self.issue(cells.mark, f"Sel predikat '{row}' × '{col}' tidak ada.")
                    continue
                value = cells[col]
                if value not in PREDICATES:
                    self.issue(
                        cells.value_marks[col],
                        f"Predikat '{value}' tidak dikenal; pilihan: {', '.join(PREDICATES)}.",
                    )
                    continue
                when = ConditionParser(self.resolver(None), self.issues).parse(
                    _located(
                        {f"{PREDICATE_ROWS}.level": row, f"{PREDICATE_COLUMNS}.level": col},
                        cells.value_marks[col],
                    ),
                    cells.value_marks[col],
                )
                name = self.rule_name(f"predikat.{row}.{col}", cells.key_marks[col])
                rules.append(Rule(name, when, value, render(when)))
        return tuple(rules)

    def section_rules(self, node: Any, mark: Mark | None, section: str) -> tuple[Rule, ...]:
        if node is None:
            return ()
        entries = self.listing(node, mark or (1, 1), section)
        if entries is None:
            return ()
        outcome_key = "award" if section == "awards" else "recommend"
        parser = ConditionParser(self.resolver(None), self.issues)
        rules: list[Rule] = []
        for entry, entry_mark in zip(entries, entries.item_marks, strict=True):
            entry = self.mapping(entry, entry_mark, section)
            if entry is None:
                continue
            self.keys(entry, ("name", "when", outcome_key), ("name", "when", outcome_key), section)
            name = self.rule_name(entry.get("name"), entry.value_marks.get("name", entry_mark))
            outcome = entry.get(outcome_key)
            if outcome_key in entry and (not isinstance(outcome, str) or not outcome.strip()):
                self.issue(entry.value_marks[outcome_key], f"'{outcome_key}' harus berupa teks.")
            when: Cond = ALWAYS
            if "when" in entry:
                when = parser.parse(entry["when"], entry.value_marks["when"])
            rules.append(Rule(name, when, outcome, render(when)))
        return tuple(rules)

    def predicate_table(self, node: Any, mark: Mark, where: str) -> dict[str, float]:
        table = self.mapping(node, mark, where)
        out: dict[str, float] = {}
        if table is None:
            return out
        for key, value in table.items():
            if key not in PREDICATES:
                self.issue(
                    table.key_marks[key],
                    f"Predikat '{key}' tidak dikenal di {where}; pilihan: {', '.join(PREDICATES)}.",
                )
                continue
            out[key] = self.number(value, table.value_marks[key], f"{where}.{key}", positive=False)
        for key in PREDICATES:
            if key not in table:
                self.issue(table.mark, f"Predikat '{key}' tidak ada di {where}.")
        return out

    def section_consequences(
        self, node: Any, mark: Mark | None
    ) -> tuple[dict[str, float], dict[str, float], tuple[Component, ...]]:
        if node is None:
            return {}, {}, ()
        cons = self.mapping(node, mark or (1, 1), "consequences")
        if cons is None:
            return {}, {}, ()
        self.keys(cons, ("angka_kredit", "angka_kredit_percent", "allowance"), (), "consequences")
        percent: dict[str, float] = {}
        koefisien: dict[str, float] = {}
        if "angka_kredit" in cons and "angka_kredit_percent" in cons:
            self.issue(
                cons.key_marks["angka_kredit_percent"],
                "Isi salah satu: 'angka_kredit' (persentase dan koefisien) atau bentuk lama "
                "'angka_kredit_percent', jangan keduanya.",
            )
        elif "angka_kredit" in cons:
            percent, koefisien = self.angka_kredit(
                cons["angka_kredit"], cons.value_marks["angka_kredit"]
            )
        elif "angka_kredit_percent" in cons:
            percent = self.predicate_table(
                cons["angka_kredit_percent"],
                cons.value_marks["angka_kredit_percent"],
                "angka_kredit_percent",
            )
        components: list[Component] = []
        if "allowance" in cons:
            components = self.allowance(cons["allowance"], cons.value_marks["allowance"])
        return percent, koefisien, tuple(components)

    def angka_kredit(self, node: Any, mark: Mark) -> tuple[dict[str, float], dict[str, float]]:
        """`percent` per predikat and the annual `koefisien` per jenjang (all eight)."""
        spec = self.mapping(node, mark, "angka_kredit")
        if spec is None:
            return {}, {}
        self.keys(spec, ("percent", "koefisien"), ("percent", "koefisien"), "angka_kredit")
        percent: dict[str, float] = {}
        if "percent" in spec:
            percent = self.predicate_table(
                spec["percent"], spec.value_marks["percent"], "angka_kredit.percent"
            )
        koefisien: dict[str, float] = {}
        table = spec.get("koefisien")
        if "koefisien" in spec:
            table = self.mapping(table, spec.value_marks["koefisien"], "angka_kredit.koefisien")
        if isinstance(table, LMap):
            for key, value in table.items():
                if key not in JENJANG:
                    self.issue(
                        table.key_marks[key],
                        f"Jenjang '{key}' tidak dikenal di angka_kredit.koefisien; "
                        f"pilihan: {', '.join(JENJANG)}.",
                    )
                    continue
                koefisien[key] = self.number(
                    value, table.value_marks[key], f"Koefisien jenjang '{key}'"
                )
            for key in JENJANG:
                if key not in table:
                    self.issue(table.mark, f"Jenjang '{key}' tidak ada di angka_kredit.koefisien.")
        return percent, koefisien

    def allowance(self, node: Any, mark: Mark) -> list[Component]:
        allowance = self.mapping(node, mark, "allowance")
        if allowance is None:
            return []
        shares = self.mapping(
            allowance.get("components"), allowance.value_marks.get("components", mark), "components"
        )
        if shares is None:
            return []
        names = [str(n) for n in shares]
        self.keys(
            allowance,
            ["components"] + [f"{n}_percent" for n in names],
            ["components"] + [f"{n}_percent" for n in names],
            "allowance",
        )
        total = 0.0
        out: list[Component] = []
        for name in names:
            if not _ident_ok(name, _NAME):
                self.issue(shares.key_marks[name], f"Nama komponen '{name}' tidak valid.")
            share = self.number(shares[name], shares.value_marks[name], f"Porsi komponen '{name}'")
            total += share
            spec = allowance.get(f"{name}_percent")
            spec_mark = allowance.value_marks.get(f"{name}_percent", allowance.mark)
            if spec is None:
                continue
            if isinstance(spec, LList):
                bands = self.bands(name, spec)
                out.append(Component(name, share, (), bands))
            else:
                table = self.predicate_table(spec, spec_mark, f"{name}_percent")
                out.append(Component(name, share, tuple(table.items()), ()))
        if abs(total - 100) > 1e-9:
            self.issue(shares.mark, f"Jumlah porsi komponen harus 100; sekarang {total:g}.")
        return out

    def bands(self, component: str, entries: LList) -> tuple[Rule, ...]:
        parser = ConditionParser(self.resolver(None), self.issues)
        rules: list[Rule] = []
        closed_at: Mark | None = None
        for index, (entry, entry_mark) in enumerate(
            zip(entries, entries.item_marks, strict=True), start=1
        ):
            entry = self.mapping(entry, entry_mark, f"{component}_percent")
            if entry is None:
                continue
            self.keys(entry, ("when", "percent", "name"), ("percent",), f"{component}_percent")
            if closed_at is not None:
                self.issue(
                    entry_mark, "Pita ini tidak pernah tercapai: pita tanpa 'when' di atasnya."
                )
            when: Cond = ALWAYS
            if "when" in entry:
                when = parser.parse(entry["when"], entry.value_marks["when"])
            else:
                closed_at = closed_at or entry_mark
            percent = self.number(
                entry.get("percent", 0),
                entry.value_marks.get("percent", entry_mark),
                "'percent'",
                positive=False,
            )
            name = self.rule_name(
                entry.get("name", f"tpp.{component}.{index}"),
                entry.value_marks.get("name", entry_mark),
            )
            rules.append(Rule(name, when, percent, render(when)))
        if not entries:
            self.issue(entries.mark, f"'{component}_percent' tidak boleh kosong.")
        elif closed_at is None:
            self.issue(
                entries.item_marks[-1],
                f"Ada kasus yang tidak tertangkap di '{component}_percent': "
                "tambahkan pita penutup tanpa 'when'.",
            )
        return tuple(rules)

    def section_distribution(
        self, node: Any, mark: Mark | None
    ) -> tuple[dict[str, tuple[Bound, ...]], str]:
        out: dict[str, tuple[Bound, ...]] = {}
        if node is None:
            return out, "warn"
        dist = self.mapping(node, mark or (1, 1), "distribution")
        if dist is None:
            return out, "warn"
        strictness = dist.get("strictness", "warn")
        if strictness not in ("warn", "error"):
            self.issue(dist.value_marks["strictness"], "'strictness' harus 'warn' atau 'error'.")
        for org, bounds in dist.items():
            if org == "strictness":
                continue
            if org not in ORGANISATION_PREDICATES:
                self.issue(
                    dist.key_marks[org],
                    f"Predikat organisasi '{org}' tidak dikenal; pilihan: "
                    f"{', '.join(ORGANISATION_PREDICATES)}.",
                )
                continue
            entries = self.listing(bounds, dist.value_marks[org], f"distribution.{org}")
            if entries is None:
                continue
            parsed = []
            for index, (entry, entry_mark) in enumerate(
                zip(entries, entries.item_marks, strict=True), start=1
            ):
                parsed_bound = self.bound(org, index, entry, entry_mark)
                if parsed_bound:
                    parsed.append(parsed_bound)
            out[org] = tuple(parsed)
        return out, str(strictness)

    def bound(self, org: str, index: int, entry: Any, mark: Mark) -> Bound | None:
        where = f"distribution.{org}"
        entry = self.mapping(entry, mark, where)
        if entry is None:
            return None
        limits = ("min", "max", "min_count", "max_count")
        self.keys(entry, ("predicates", "name") + limits, ("predicates",), where)
        preds = entry.get("predicates", ())
        if isinstance(preds, str):
            preds = [preds]
        if not isinstance(preds, list) or not preds:
            self.issue(
                entry.value_marks.get("predicates", mark), "'predicates' harus daftar predikat."
            )
            preds = []
        for p in preds:
            if p not in PREDICATES:
                self.issue(
                    entry.value_marks["predicates"],
                    f"Predikat '{p}' tidak dikenal; pilihan: {', '.join(PREDICATES)}.",
                )
        values: dict[str, Any] = {}
        for key in limits:
            if key not in entry:
                values[key] = None
                continue
            value = entry[key]
            vmark = entry.value_marks[key]
            if key in ("min", "max"):
                if not _is_number(value) or not 0 <= value <= 1:
                    self.issue(vmark, f"'{key}' adalah bagian 0–1 (mis. 0.70 untuk 70%).")
                    value = 0
                values[key] = float(value)
            else:
                if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                    self.issue(vmark, f"'{key}' harus bilangan bulat ≥ 0.")
                    value = 0
                values[key] = value
        if all(v is None for v in values.values()):
            self.issue(mark, "Batas distribusi membutuhkan min, max, min_count atau max_count.")
        name = entry.get("name", f"distribusi.{org}.{index}")
        name = self.rule_name(name, entry.value_marks.get("name", mark))
        return Bound(
            name,
            tuple(preds),
            values["min"],
            values["max"],
            values["min_count"],
            values["max_count"],
        )


def _located(values: dict[str, Any], mark: Mark) -> LMap:
    """A synthetic located mapping, so generated conditions go through the same parser."""
    out = LMap(values)
    out.mark = mark
    out.key_marks = {k: mark for k in values}
    out.value_marks = {k: mark for k in values}
    return out


def validate(
    text: str,
    indicators: Iterable[str | Mapping[str, Any]] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Ruleset | None, list[Issue]]:
    """Load and validate `text`; returns the model (None when invalid) and sorted issues.

    `indicators` is the catalogue: its codes, or its entries (`load_indicators`), whose `raters`
    then say which rater kinds may rate each code at evaluation time.
    """
    doc, issues = load_located(text, limits)
    if doc is None:
        return None, sorted(issues)
    codes: set[str] | None = None
    allowed: dict[str, tuple[str, ...]] = {}
    if indicators is not None:
        codes = set()
        for entry in indicators:
            if isinstance(entry, Mapping):
                code = str(entry.get("code"))
                if entry.get("raters") is not None:
                    allowed[code] = tuple(str(kind) for kind in entry["raters"])
            else:
                code = str(entry)
            codes.add(code)
    validator = _Validator(codes, allowed)
    validator.issues.extend(issues)
    model = validator.run(doc, text)
    unique = sorted(set(validator.issues))
    if model is None or unique:
        return None, unique
    return replace(model, allowed_raters=allowed), unique
