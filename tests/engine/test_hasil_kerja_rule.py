"""Rating hasil kerja from the RHK as the rule text reads (PermenPANRB 6/2022, lampiran):

- di atas: "sebagian besar atau seluruh hasil kerja di atas ekspektasi dan tidak ada hasil kerja
  utama yang di bawah ekspektasi";
- sesuai: "... dan hanya sebagian kecil hasil kerja utama yang di bawah ekspektasi";
- di bawah: "sebagian besar atau seluruh hasil kerja di bawah ekspektasi".

"Sebagian besar" is more than half (the default's policy knob `gt: 0.5`); half or more of the
utama RHK below expectation is not "sebagian kecil".
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from synthetic import BERAKHLAK

from app.engine import CompiledRuleset, evaluate

ATAS, SESUAI, BAWAH = "di_atas_ekspektasi", "sesuai_ekspektasi", "di_bawah_ekspektasi"


def hasil_kerja(ruleset: CompiledRuleset, utama: list[str], tambahan: list[str]) -> str | None:
    """The level the default ruleset proposes for these RHK ratings by the supervisor."""
    ratings = [
        {"rhk": f"U{i}", "utama": True, "rater": "supervisor", "value": v}
        for i, v in enumerate(utama)
    ]
    ratings += [
        {"rhk": f"T{i}", "utama": False, "rater": "supervisor", "value": v}
        for i, v in enumerate(tambahan)
    ]
    ratings += [{"indicator": c, "rater": "supervisor", "value": SESUAI} for c in BERAKHLAK]
    (result,) = evaluate(ruleset, [{"nip": "1", "ratings": ratings}])
    return result["aspects"]["hasil_kerja"]["level"]


def test_exactly_half_above_expectation_is_not_di_atas(ruleset: CompiledRuleset):
    assert hasil_kerja(ruleset, [ATAS], [SESUAI]) == SESUAI
    assert hasil_kerja(ruleset, [ATAS, ATAS], [SESUAI, SESUAI]) == SESUAI
    assert hasil_kerja(ruleset, [ATAS, ATAS], [SESUAI]) == ATAS


def test_exactly_half_below_expectation_in_tambahan_is_sesuai(ruleset: CompiledRuleset):
    assert hasil_kerja(ruleset, [SESUAI], [BAWAH]) == SESUAI


def test_two_utama_below_are_not_outvoted_by_three_tambahan_above(ruleset: CompiledRuleset):
    assert hasil_kerja(ruleset, [BAWAH, BAWAH], [ATAS, ATAS, ATAS]) == BAWAH


def test_half_of_the_utama_below_is_not_a_small_part(ruleset: CompiledRuleset):
    assert hasil_kerja(ruleset, [BAWAH, ATAS], [ATAS, ATAS]) == BAWAH
    assert hasil_kerja(ruleset, [BAWAH, ATAS, ATAS], [ATAS]) == SESUAI  # one in three: small


def test_one_utama_below_rules_out_di_atas(ruleset: CompiledRuleset):
    assert hasil_kerja(ruleset, [BAWAH, ATAS, ATAS, ATAS], [ATAS, ATAS]) == SESUAI


def test_tambahan_below_do_not_block_di_atas(ruleset: CompiledRuleset):
    assert hasil_kerja(ruleset, [ATAS, ATAS, ATAS], [BAWAH, BAWAH]) == ATAS


def reading_of_the_text(utama: list[str], tambahan: list[str]) -> str:
    """The rule text, read directly with the default's knobs (independent of the YAML)."""
    every = utama + tambahan
    share = {level: every.count(level) / len(every) for level in (ATAS, BAWAH)}
    utama_below = utama.count(BAWAH) / len(utama) if utama else 0.0
    if share[ATAS] > 0.5 and BAWAH not in utama:
        return ATAS
    if share[BAWAH] > 0.5 or utama_below >= 0.5:
        return BAWAH
    return SESUAI


levels = st.sampled_from([ATAS, SESUAI, BAWAH])


@settings(max_examples=150, deadline=None)
@given(st.lists(levels, max_size=6), st.lists(levels, max_size=6))
def test_hasil_kerja_follows_the_rule_text(ruleset, utama, tambahan):
    if not utama and not tambahan:
        assert hasil_kerja(ruleset, utama, tambahan) is None
        return
    level = hasil_kerja(ruleset, utama, tambahan)
    assert level == reading_of_the_text(utama, tambahan)
    if BAWAH in utama:
        assert level != ATAS
