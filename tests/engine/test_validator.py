"""The validator reports every mistake of a ruleset at once, located, in Indonesian."""

from __future__ import annotations

import pytest

from app.engine import Limits, RulesetError, load_ruleset, validate_text

FIVE_MISTAKES = """\
name: contoh
scales:
  ekspektasi: [di_bawah_ekspektasi, sesuai_ekspektasi, di_atas_ekspektasi]
  bintang: {min: 1, max: 5}
raters: {supervisor: 70, peer: 30}
aspects:
  hasil_kerja: {scale: ekspektasi, source: rhk}
  perilaku_kerja:
    scale: ekspektasi
    indicators: [AKUNTABEL, LOYAL]
  kinerja_lokal:
    scale: bintang
    indicators: {DISIPLIN: 0, KUALITAS_KERJA: 60}
    colour: merah
levels:
  hasil_kerja:
    - level: di_atas_ekspektasi
      when: {share.di_atas_ekspektasi: {atleast: 0.5}}
    - level: sesuai_ekspektasi
  perilaku_kerja:
    - level: luar_biasa
      when: {count.di_bawah_ekspektasi: 0}
    - level: sesuai_ekspektasi
predicate:
  di_atas_ekspektasi:
    {di_atas_ekspektasi: sangat_baik, sesuai_ekspektasi: baik, di_bawah_ekspektasi: kurang}
  sesuai_ekspektasi:
    {di_atas_ekspektasi: baik, sesuai_ekspektasi: baik, di_bawah_ekspektasi: kurang}
  di_bawah_ekspektasi: {di_atas_ekspektasi: butuh_perbaikan, sesuai_ekspektasi: butuh_perbaikan}
"""

VALID_SMALL = """\
name: kecil
scales:
  ekspektasi: [di_bawah_ekspektasi, sesuai_ekspektasi, di_atas_ekspektasi]
aspects:
  hasil_kerja: {scale: ekspektasi, source: rhk}
  perilaku_kerja: {scale: ekspektasi, indicators: [AKUNTABEL]}
levels:
  hasil_kerja:
    - level: di_atas_ekspektasi
      when: {share.di_atas_ekspektasi: {gte: 0.5}}
    - level: sesuai_ekspektasi
  perilaku_kerja:
    - level: sesuai_ekspektasi
"""


def test_five_planted_mistakes_give_five_located_messages() -> None:
    issues = validate_text(FIVE_MISTAKES)
    located = [(i.line, i.col) for i in issues]
    assert located == [(13, 28), (14, 5), (18, 41), (21, 14), (29, 24)], issues
    messages = [i.message for i in issues]
    assert "Bobot indikator 'DISIPLIN' harus bilangan positif" in messages[0]
    assert "Kunci 'colour' tidak dikenal" in messages[1]
    assert "Operator 'atleast' tidak dikenal" in messages[2]
    assert "Tingkat 'luar_biasa' tidak ada di skala 'ekspektasi'" in messages[3]
    assert "Sel predikat 'di_bawah_ekspektasi' × 'di_bawah_ekspektasi' tidak ada" in messages[4]


def test_load_ruleset_raises_with_every_issue() -> None:
    with pytest.raises(RulesetError) as caught:
        load_ruleset(FIVE_MISTAKES)
    assert len(caught.value.issues) == 5


def test_the_shipped_ruleset_is_valid_against_the_catalogue(default_text: str) -> None:
    from app.engine import load_indicators

    codes = {i["code"] for i in load_indicators("rules/indicators.yaml")}
    assert validate_text(default_text, indicators=codes) == []


def test_unknown_indicator_code_is_reported_when_a_catalogue_is_given() -> None:
    issues = validate_text(VALID_SMALL, indicators={"LOYAL"})
    assert [(i.line, i.col) for i in issues] == [(6, 52)]
    assert "tidak ada di katalog" in issues[0].message
    assert validate_text(VALID_SMALL) == []


def test_duplicate_keys_are_reported_not_silently_overwritten() -> None:
    text = VALID_SMALL.replace(
        "  perilaku_kerja: {scale: ekspektasi, indicators: [AKUNTABEL]}\n",
        "  perilaku_kerja: {scale: ekspektasi, indicators: [AKUNTABEL]}\n"
        "  perilaku_kerja: {scale: ekspektasi, indicators: [LOYAL]}\n",
    )
    issues = validate_text(text)
    assert [(i.line, i.col) for i in issues] == [(7, 3)]
    assert "ganda" in issues[0].message


def test_duplicate_predicate_cell_is_reported() -> None:
    issues = validate_text(
        FIVE_MISTAKES.replace(
            "sesuai_ekspektasi: butuh_perbaikan}",
            "sesuai_ekspektasi: butuh_perbaikan, sesuai_ekspektasi: kurang}",
        )
    )
    assert any("Kunci 'sesuai_ekspektasi' ganda" in i.message for i in issues)


def test_level_list_without_closing_rule_leaves_cases_unclassified() -> None:
    text = VALID_SMALL.replace(
        "    - level: sesuai_ekspektasi\n  perilaku_kerja:", "  perilaku_kerja:"
    )
    issues = validate_text(text)
    assert len(issues) == 1
    assert "tidak terklasifikasi" in issues[0].message
    assert (issues[0].line, issues[0].col) == (9, 7)


def test_rule_after_the_closing_rule_is_unreachable() -> None:
    text = VALID_SMALL.replace(
        "    - level: sesuai_ekspektasi\n  perilaku_kerja:",
        "    - level: sesuai_ekspektasi\n    - level: di_bawah_ekspektasi\n  perilaku_kerja:",
    )
    issues = validate_text(text)
    assert len(issues) == 1 and "tidak pernah tercapai" in issues[0].message
    assert issues[0].line == 12


def test_unknown_fact_path_and_wrong_value_types() -> None:
    text = VALID_SMALL.replace(
        "{share.di_atas_ekspektasi: {gte: 0.5}}",
        "{share.luar_biasa: {gte: 0.5}, employee.is_unit_head: ya, history.baik_years: dua}",
    )
    issues = validate_text(text)
    messages = " | ".join(i.message for i in issues)
    assert len(issues) == 3, messages
    assert "Fakta 'share.luar_biasa' tidak dikenal" in messages
    assert "true/false" in messages
    assert "bukan angka" in messages


def test_level_rules_cannot_read_later_decisions() -> None:
    text = VALID_SMALL.replace("{share.di_atas_ekspektasi: {gte: 0.5}}", "{predicate: baik}")
    issues = validate_text(text)
    assert len(issues) == 1 and "diputuskan kemudian" in issues[0].message


def test_syntax_error_is_located_at_the_unclosed_bracket() -> None:
    issues = validate_text("name: x\nscales: [a, b\n")
    assert [(i.line, i.col) for i in issues] == [(2, 9)]  # the parser gave up on line 3
    assert issues[0].message.startswith("Kurung siku '[' dibuka di sini tetapi tidak ditutup")


def test_yaml_bomb_is_refused_by_the_alias_limit() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(
            f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
        )
    issues = validate_text("\n".join(lines))
    assert len(issues) == 1 and "alias" in issues[0].message


def test_limits_are_configurable() -> None:
    assert "terlalu dalam" in validate_text(VALID_SMALL, limits=Limits(max_depth=3))[0].message
    assert "terlalu besar" in validate_text(VALID_SMALL, limits=Limits(max_bytes=100))[0].message
    nodes = validate_text(VALID_SMALL, limits=Limits(max_nodes=10))[0].message
    assert "simpul" in nodes


def test_python_tags_are_refused() -> None:
    issues = validate_text("name: !!python/object:os.system x\n")
    assert any("Tag YAML tidak diizinkan" in i.message for i in issues)


def test_without_ratings_needs_a_condition_and_a_boolean(default_text: str) -> None:
    closing = "    # [NASIONAL] Selebihnya: sesuai ekspektasi"
    text = default_text.replace(
        "    - level: sesuai_ekspektasi\n  perilaku_kerja:",
        "    - level: sesuai_ekspektasi\n      without_ratings: true\n  perilaku_kerja:",
    )
    assert text != default_text and closing in text
    assert any("membutuhkan 'when'" in i.message for i in validate_text(text))
    text = default_text.replace("      without_ratings: true\n", "      without_ratings: ya\n", 1)
    assert any("harus true atau false" in i.message for i in validate_text(text))


def test_period_and_jenjang_facts_are_typed(default_text: str) -> None:
    award = (
        "  - name: fungsional-setahun\n"
        "    when: {employee.jenjang: ahli_muda, period.kind: tahunan, period.months: {gte: 12}}\n"
        "    award: Contoh\n"
    )
    text = default_text.replace("awards:\n", "awards:\n" + award, 1)
    assert validate_text(text) == []
    wrong = text.replace("employee.jenjang: ahli_muda", "employee.jenjang: ahli")
    assert any("'ahli' tidak dikenal" in i.message for i in validate_text(wrong))
