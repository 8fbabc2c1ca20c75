"""The section forms edit the ruleset text in place (everything else byte-identical), the change
summary speaks of every section, and the condition builder checks values against the fact's type
and scale. Pure: the shipped ruleset and the real engine, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.engine.conditions import as_tree
from app.engine.validator import validate
from app.services.authoring import condition_builder, rule_changes, rule_forms, rule_sections
from app.services.errors import InvalidInput

SHIPPED = (Path(__file__).resolve().parents[1] / "rules" / "kinerja-asn-aceh.yaml").read_text(
    encoding="utf-8"
)
NAMES = {"DISIPLIN": "Disiplin", "KEPUASAN_PUBLIK": "Kepuasan Publik"}


def model(text: str = SHIPPED):
    found, issues = validate(text)
    assert found is not None, issues
    return found


def other_value(row: rule_sections.Row) -> object:
    if row.kind == "choice":
        return next(code for code, _ in row.choices if code != row.value)
    if row.kind == "text":
        return row.value + " Baru"
    return float(row.value) + 1


def only_span_changed(old: str, new: str) -> tuple[str, str]:
    """The differing middle of two texts, after their common prefix and suffix."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return old[start : len(old) - end], new[start : len(new) - end]


@pytest.mark.parametrize("section", list(rule_sections.SECTIONS))
def test_every_value_of_every_form_changes_only_its_own_characters(section):
    groups = rule_sections.groups(SHIPPED, model(), section, NAMES)
    rows = [row for group in groups for row in group.rows]
    assert rows, section
    for row in rows:
        new = rule_forms.with_scalars(SHIPPED, {row.path: other_value(row)})
        scalar = rule_forms.scalars(SHIPPED)[row.path]
        assert new[: scalar.start] == SHIPPED[: scalar.start]
        assert new[len(new) - (len(SHIPPED) - scalar.end) :] == SHIPPED[scalar.end :]
        assert "\n" not in only_span_changed(SHIPPED, new)[1]


def test_an_unchanged_form_writes_nothing_and_keeps_the_authors_spelling():
    groups = rule_sections.groups(SHIPPED, model(), "distribusi", NAMES)
    values = {row.path: float(row.value) for g in groups for row in g.rows if row.kind == "number"}
    assert rule_forms.with_scalars(SHIPPED, values) == SHIPPED  # 0.70 stays 0.70


@pytest.mark.parametrize(
    "list_path",
    ["awards", "training", "levels.kinerja_lokal", "consequences.allowance.disiplin_percent"],
)
def test_add_remove_and_reorder_round_trip_byte_identical(list_path):
    entries = rule_forms.items(SHIPPED, list_path)
    assert len(entries) >= 3
    down = rule_forms.move_item(SHIPPED, list_path, 0, 1)
    assert down != SHIPPED and rule_forms.move_item(down, list_path, 1, -1) == SHIPPED
    fields = [("name", "baru"), ("when", "{predicate: baik}"), ("award", "Teladan")]
    added = rule_forms.insert_item(SHIPPED, list_path, fields, 1)
    assert rule_forms.remove_item(added, list_path, 1) == SHIPPED
    removed = rule_forms.remove_item(SHIPPED, list_path, 1)
    kept = [SHIPPED[e.start : e.end] for e in entries]
    assert [removed[e.start : e.end] for e in rule_forms.items(removed, list_path)] == (
        kept[:1] + kept[2:]
    )
    assert only_span_changed(SHIPPED, removed)[1] == ""
    assert validate(removed)[0] is not None


def test_removing_a_rule_takes_its_inner_comments_and_nothing_else():
    removed = rule_forms.remove_item(SHIPPED, "awards", 2)
    old, new = only_span_changed(SHIPPED, removed)
    assert new == "" and "memenuhi-syarat-kenaikan-pangkat" in old and "PPPK dikecualikan" in old
    assert "# [LOKAL] Rekomendasi pelatihan" in removed
    assert model(removed).awards[-1].name == "pelayan-publik-teladan"


def test_a_rule_added_by_form_is_the_text_an_author_would_type():
    tree = {
        "all": [
            {"fact": "predicate", "op": "gte", "value": "baik"},
            {"fact": "indicator.KEPUASAN_PUBLIK", "op": "gte", "value": "4,8"},
        ]
    }
    text = rule_sections.new_rule(
        SHIPPED, model(), "penghargaan", "teladan-layanan", "Teladan Layanan: Emas", tree, NAMES
    )
    by_hand = SHIPPED.replace(
        "    award: Memenuhi syarat predikat untuk kenaikan pangkat\n",
        "    award: Memenuhi syarat predikat untuk kenaikan pangkat\n"
        "  - name: teladan-layanan\n"
        "    when: {predicate: {gte: baik}, indicator.KEPUASAN_PUBLIK: {gte: 4.8}}\n"
        '    award: "Teladan Layanan: Emas"\n',
    )
    assert text == by_hand
    assert model(text).awards[-1].outcome == "Teladan Layanan: Emas"


def test_a_rule_name_in_use_or_malformed_is_refused():
    tree = {"fact": "predicate", "op": "eq", "value": "baik"}
    for name in ("coaching-kinerja", "dua kata", ""):
        with pytest.raises(InvalidInput):
            rule_sections.new_rule(SHIPPED, model(), "pelatihan", name, "X", tree, NAMES)


def test_a_block_condition_is_replaced_on_its_key_line():
    text = rule_forms.replace_value(SHIPPED, "awards.2", "when", "{predicate: baik}")
    old, new = only_span_changed(SHIPPED, text)
    assert "history.baik_years" in old and "employee.status" in old
    assert new.strip().endswith("baik")
    assert model(text).awards[2].name == "memenuhi-syarat-kenaikan-pangkat"


@pytest.mark.parametrize(
    "list_path, index",
    [
        ("awards", 0),
        ("awards", 2),
        ("training", 0),
        ("levels.hasil_kerja", 3),
        ("levels.kinerja_lokal", 0),
        ("consequences.allowance.disiplin_percent", 1),
    ],
)
def test_an_existing_condition_loads_into_the_builder_and_saves_back(list_path, index):
    """Every kind of rule's current condition, as the builder loads it, checks and writes back
    as the same condition; one threshold changed rewrites only that rule's `when`."""
    found = model()
    aspect, rule = rule_sections.rule_at(found, list_path, index)
    loaded = condition_builder.as_builder_tree(as_tree(rule.when))
    known = {f.path: f for f in rule_sections.builder_facts(found, aspect, NAMES)}
    condition_builder.check(loaded, known)  # the builder's own check accepts what it loaded
    with pytest.raises(InvalidInput, match="tidak berubah"):
        rule_sections.with_condition(SHIPPED, found, list_path, index, loaded, NAMES)

    def bump(node):  # the first numeric threshold + 1, or a second level allowed
        for child in node.get("all") or node.get("any") or [node.get("not")] or []:
            if child and bump(child):
                return True
        if (
            "fact" in node
            and isinstance(node["value"], int | float)
            and not isinstance(node["value"], bool)
        ):
            value = node["value"]
            node["value"] = value + 1 if isinstance(value, int) else round(value - 0.1, 2)
            return True
        return False

    changed = condition_builder.as_builder_tree(as_tree(rule.when))
    if not bump(changed):
        changed = (
            {"all": [*changed["all"], {"fact": "employee.status", "op": "eq", "value": "PNS"}]}
            if "all" in changed
            else {"all": [changed, {"fact": "employee.status", "op": "eq", "value": "PNS"}]}
        )
    text = rule_sections.with_condition(SHIPPED, found, list_path, index, changed, NAMES)
    entry = rule_forms.items(SHIPPED, list_path)[index]
    node = rule_forms.find(SHIPPED, f"{list_path}.{index}")
    key, when = next((k, v) for k, v in node.value if k.value == "when")
    assert text[: key.end_mark.index] == SHIPPED[: key.end_mark.index]  # before: identical
    tail = SHIPPED[entry.end :]
    assert text.endswith(tail)  # every later rule and comment: identical
    after = model(text)
    _, new_rule = rule_sections.rule_at(after, list_path, index)
    assert new_rule.name == rule.name and new_rule.outcome == rule.outcome
    assert as_tree(new_rule.when) != as_tree(rule.when)
    if aspect is not None:  # a level rule names its own aspect's facts without the aspect
        line = text[key.end_mark.index : text.index("\n", key.end_mark.index)]
        assert f"{aspect}." not in line


def test_a_level_condition_is_written_relative_to_its_aspect():
    found = model()
    _, rule = rule_sections.rule_at(found, "levels.hasil_kerja", 3)
    tree = {
        "all": [
            {"fact": "hasil_kerja.share.di_atas_ekspektasi", "op": "gt", "value": "0,6"},
            {"fact": "hasil_kerja.utama.count.di_bawah_ekspektasi", "op": "eq", "value": "0"},
        ]
    }
    text = rule_sections.with_condition(SHIPPED, found, "levels.hasil_kerja", 3, tree, NAMES)
    written = (
        "      when: {share.di_atas_ekspektasi: {gt: 0.6}, utama.count.di_bawah_ekspektasi: 0}\n"
    )
    assert written in text and written not in SHIPPED
    assert len(text.splitlines()) == len(SHIPPED.splitlines()) - 3  # the block took 4 lines
    assert model(text).levels["hasil_kerja"][3].outcome == rule.outcome


def test_a_rule_without_condition_has_none_to_edit():
    found = model()
    last = len(found.levels["kinerja_lokal"]) - 1
    with pytest.raises(InvalidInput, match="tanpa syarat"):
        rule_sections.with_condition(
            SHIPPED,
            found,
            "levels.kinerja_lokal",
            last,
            {"fact": "kinerja_lokal.score", "op": "gte", "value": 1},
            NAMES,
        )


def test_a_new_level_rule_goes_before_the_catch_all_as_an_author_would_type_it():
    found = model()
    position = rule_sections.default_position(found.levels["kinerja_lokal"])
    rules = found.levels["kinerja_lokal"]
    assert position == len(rules) - 1 and not rule_sections.has_condition(rules[position])
    tree = {"all": [{"fact": "kinerja_lokal.score", "op": "gte", "value": "2,2"}]}
    text = rule_sections.new_level_rule(
        SHIPPED, found, "kinerja_lokal", "cukup", position, tree, NAMES
    )
    old, _new = only_span_changed(SHIPPED, text)
    assert old == ""
    added = "    - level: cukup\n      when: {score: {gte: 2.2}}\n    - level: perlu_pembinaan\n"
    assert added in text
    after = model(text).levels["kinerja_lokal"]
    assert len(after) == len(rules) + 1 and after[position].outcome == "cukup"
    assert rule_forms.remove_item(text, "levels.kinerja_lokal", position) == SHIPPED
    with pytest.raises(InvalidInput, match="Pilih tingkat"):
        rule_sections.new_level_rule(
            SHIPPED, found, "kinerja_lokal", "di_atas_ekspektasi", 0, tree, NAMES
        )


def test_a_new_band_is_written_on_one_line_like_its_neighbours():
    found = model()
    path = "consequences.allowance.disiplin_percent"
    position = rule_sections.default_position(found.components[1].bands)
    tree = {"all": [{"fact": "indicator.DISIPLIN", "op": "gte", "value": "1,5"}]}
    text = rule_sections.new_band(
        SHIPPED, found, path, "tpp-disiplin-minim", "25", position, tree, NAMES
    )
    line = (
        "      - {name: tpp-disiplin-minim, when: {indicator.DISIPLIN: {gte: 1.5}}, percent: 25}\n"
    )
    assert text == SHIPPED.replace(
        "      - {name: tpp-disiplin-belum-dinilai",
        line + "      - {name: tpp-disiplin-belum-dinilai",
        1,
    )
    assert model(text).components[1].bands[position].outcome == 25
    for name, percent, message in (
        ("tpp-disiplin-penuh", "10", "sudah dipakai"),
        ("pita baru", "10", "Nama pita"),
        ("tpp-baru", "150", "0 sampai 100"),
    ):
        with pytest.raises(InvalidInput, match=message):
            rule_sections.new_band(SHIPPED, found, path, name, percent, 0, tree, NAMES)


# --- the change summary ------------------------------------------------------------------------


def summary(new_text: str) -> list[str]:
    changes = rule_changes.summarise(model(), model(new_text), NAMES)
    return [change.text for change in changes]


def edit(values: dict[str, object], text: str = SHIPPED) -> str:
    return rule_forms.with_scalars(text, values)


def test_summary_of_the_weights_shows_the_normalised_shares():
    assert summary(edit({"raters.peer": 30})) == [
        "Bobot rekan kerja 20 → 30 (dinormalisasi: 20 % → 27 %)"
    ]
    (line,) = summary(edit({"aspects.kinerja_lokal.indicators.DISIPLIN": 40}))
    assert line.startswith("Bobot indikator (Kinerja lokal") and "Disiplin 30 → 40" in line
    assert "30 % → 36 %" in line


def test_summary_of_level_rules_matrix_and_distribution():
    (level,) = summary(edit({"levels.kinerja_lokal.0.when.score.gte": 4.4}))
    assert "menuju Sangat Baik" in level and "4,5 → skor kinerja lokal" in level
    assert level.endswith("paling sedikit 4,4")
    (cell,) = summary(edit({"predicate.sesuai_ekspektasi.sesuai_ekspektasi": "sangat_baik"}))
    assert cell == (
        "Matriks predikat: hasil kerja Sesuai Ekspektasi dan perilaku kerja Sesuai Ekspektasi: "
        "Baik → Sangat Baik"
    )
    (bound,) = summary(edit({"distribution.baik.0.max": 0.6}))
    assert bound == (
        "Pola distribusi unit Baik, predikat Baik: paling banyak 70 % → paling banyak 60 %"
    )
    (strict,) = summary(edit({"distribution.strictness": "error"}))
    assert "peringatan → wajib" in strict
    reordered = rule_forms.move_item(SHIPPED, "levels.kinerja_lokal", 0, 1)
    assert any(line.startswith("Urutan aturan tingkat") for line in summary(reordered))


def test_summary_of_awards_and_training_added_removed_changed():
    tree = {"fact": "indicator.DISIPLIN", "op": "gte", "value": 4.5}
    added = rule_sections.new_rule(
        SHIPPED,
        model(),
        "penghargaan",
        "disiplin-teladan",
        "Pegawai Disiplin Teladan",
        tree,
        NAMES,
    )
    assert summary(added) == [
        "Aturan penghargaan 'Pegawai Disiplin Teladan' ditambahkan: nilai Disiplin paling "
        "sedikit 4,5 → Pegawai Disiplin Teladan"
    ]
    assert summary(rule_forms.remove_item(SHIPPED, "training", 6)) == [
        "Aturan pelatihan 'Coaching dan Bimbingan Kinerja oleh Atasan' dihapus"
    ]
    renamed = edit({"awards.1.award": "Pelayan Publik Terbaik"})
    assert summary(renamed) == [
        "Hasil aturan penghargaan 'Pelayan Publik Terbaik': Pelayan Publik Teladan → "
        "Pelayan Publik Terbaik"
    ]
    (stricter,) = summary(edit({"awards.1.when.indicator.KEPUASAN_PUBLIK.gte": 4.8}))
    assert stricter.startswith("Syarat aturan penghargaan 'Pelayan Publik Teladan'")
    # awards all apply: their order is no decision
    assert summary(rule_forms.move_item(SHIPPED, "awards", 0, 1)) == []


def test_summary_of_angka_kredit_and_allowance():
    assert summary(edit({"consequences.angka_kredit.koefisien.mahir": 13})) == [
        "Koefisien angka kredit tahunan jenjang Mahir: 12,5 → 13"
    ]
    assert summary(edit({"consequences.angka_kredit.percent.baik": 110})) == [
        "Persentase angka kredit predikat Baik: 100 % → 110 %"
    ]
    lines = summary(
        edit(
            {
                "consequences.allowance.components.kinerja": 70,
                "consequences.allowance.components.disiplin": 30,
                "consequences.allowance.kinerja_percent.kurang": 50,
                "consequences.allowance.disiplin_percent.1.percent": 85,
                "consequences.allowance.disiplin_percent.1.when.indicator.DISIPLIN.gte": 3.75,
            }
        )
    )
    assert "Bagian TPP komponen Kinerja: 60 % → 70 %" in lines[0]
    assert any("Kurang" in line and "60 % → 50 %" in line for line in lines)
    assert "Hasil pita TPP Disiplin 'tpp-disiplin-baik': 90 % → 85 %" in lines
    assert any(line.startswith("Syarat pita TPP Disiplin 'tpp-disiplin-baik'") for line in lines)


def test_summary_is_empty_for_comments_and_none_for_an_invalid_text():
    assert summary(SHIPPED.replace("# [LOKAL] Penghargaan", "# Penghargaan daerah")) == []
    assert rule_changes.summarise_texts(SHIPPED, "name: [") is None


# --- the condition builder ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def known():
    return {fact.path: fact for fact in condition_builder.facts(model(), NAMES)}


def test_every_fact_has_an_indonesian_name_and_meaning(known):
    assert set(known) == set(model().fact_types)
    for fact in known.values():
        assert fact.name and fact.path not in fact.name, fact
        assert fact.meaning, fact
    assert known["indicator.DISIPLIN"].name == "nilai Disiplin"
    assert (known["indicator.DISIPLIN"].minimum, known["indicator.DISIPLIN"].maximum) == (1, 5)
    level_facts = condition_builder.facts(model(), NAMES, aspect="hasil_kerja")
    assert "predicate" not in {fact.path for fact in level_facts}


@pytest.mark.parametrize(
    ("atom", "message"),
    [
        ({"fact": "hasil_kerja.share.di_atas_ekspektasi", "op": "gt", "value": "50"}, "0 dan 1"),
        ({"fact": "hasil_kerja.count.di_bawah_ekspektasi", "op": "eq", "value": "1,5"}, "bulat"),
        ({"fact": "indicator.DISIPLIN", "op": "gte", "value": "6"}, "antara 1 dan 5"),
        ({"fact": "indicator.DISIPLIN", "op": "gte", "value": "banyak"}, "angka"),
        ({"fact": "predicate", "op": "gte", "value": "luar_biasa"}, "salah satu dari"),
        ({"fact": "employee.status", "op": "gt", "value": "PNS"}, "Pembanding"),
        ({"fact": "employee.is_unit_head", "op": "eq", "value": "mungkin"}, "Ya atau Tidak"),
        ({"fact": "employee.golongan", "op": "in", "value": []}, "paling sedikit satu"),
        ({"fact": "gaji", "op": "eq", "value": 1}, "Pilih fakta"),
    ],
)
def test_the_builder_refuses_values_outside_the_facts_type_and_scale(known, atom, message):
    with pytest.raises(InvalidInput, match=message):
        condition_builder.check(atom, known)


def test_the_builder_writes_groups_as_the_rule_language_and_as_a_sentence(known):
    tree = condition_builder.check(
        {
            "all": [
                {"fact": "predicate", "op": "in", "value": ["baik", "sangat_baik"]},
                {
                    "any": [
                        {"fact": "indicator.DISIPLIN", "op": "lt", "value": "2,5"},
                        {"fact": "employee.is_unit_head", "op": "eq", "value": "ya"},
                    ]
                },
                {"not": {"fact": "employee.status", "op": "eq", "value": "PPPK"}},
            ]
        },
        known,
    )
    assert condition_builder.to_yaml(tree) == (
        "{predicate: {in: [baik, sangat_baik]}, any: [{indicator.DISIPLIN: {lt: 2.5}}, "
        "{employee.is_unit_head: true}], not: {employee.status: PPPK}}"
    )
    assert condition_builder.sentence(tree, NAMES) == (
        "predikat salah satu dari Baik, Sangat Baik dan (nilai Disiplin kurang dari 2,5 atau "
        "kepala unit tepat ya) dan bukan keadaan ini: status kepegawaian tepat PPPK"
    )
    with pytest.raises(InvalidInput):
        condition_builder.check({"any": []}, known)
