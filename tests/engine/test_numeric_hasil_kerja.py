"""A ruleset may score hasil kerja on a numeric scale (0–100) and map the score to levels that
feed the predikat table, as long as the scale names its `levels`."""

from __future__ import annotations

import pytest
from oracle import Oracle

from app.engine import evaluate, load_ruleset, validate_text

RULES = """
name: skor-hasil-kerja
scales:
  persen: {min: 0, max: 100, levels: [kurang, cukup, tinggi]}
  ekspektasi: [di_bawah_ekspektasi, sesuai_ekspektasi, di_atas_ekspektasi]
raters: {supervisor: 1}
aspects:
  hasil_kerja: {scale: persen, indicators: {CAPAIAN_RHK: 1}}
  perilaku_kerja: {scale: ekspektasi, indicators: [AKUNTABEL]}
levels:
  hasil_kerja:
    - {level: tinggi, when: {score: {gte: 90}}}
    - {level: cukup, when: {score: {gte: 70}}}
    - {level: kurang}
  perilaku_kerja:
    - {level: di_atas_ekspektasi, when: {count.di_atas_ekspektasi: 1}}
    - {level: di_bawah_ekspektasi, when: {count.di_bawah_ekspektasi: 1}}
    - {level: sesuai_ekspektasi}
predicate:
  tinggi: {di_atas_ekspektasi: sangat_baik, sesuai_ekspektasi: baik, di_bawah_ekspektasi: kurang}
  cukup: {di_atas_ekspektasi: baik, sesuai_ekspektasi: baik, di_bawah_ekspektasi: kurang}
  kurang: {di_atas_ekspektasi: butuh_perbaikan, sesuai_ekspektasi: butuh_perbaikan,
           di_bawah_ekspektasi: sangat_kurang}
"""


@pytest.mark.parametrize(
    ("score", "perilaku", "predikat"),
    [
        (95, "di_atas_ekspektasi", "sangat_baik"),
        (90, "sesuai_ekspektasi", "baik"),
        (89.5, "di_atas_ekspektasi", "baik"),
        (70, "di_bawah_ekspektasi", "kurang"),
        (12, "sesuai_ekspektasi", "butuh_perbaikan"),
        (0, "di_bawah_ekspektasi", "sangat_kurang"),
    ],
)
def test_a_score_mapped_to_levels_feeds_the_predikat_table(score, perilaku, predikat):
    ruleset = load_ruleset(RULES)
    employee = {
        "nip": "1",
        "ratings": [
            {"indicator": "CAPAIAN_RHK", "rater": "supervisor", "value": score},
            {"indicator": "AKUNTABEL", "rater": "supervisor", "value": perilaku},
        ],
    }
    (result,) = evaluate(ruleset, [employee])
    assert result["predicate"] == predikat
    assert Oracle(RULES).evaluate(employee)["predicate"] == predikat
    assert evaluate(ruleset, [employee], cache=False) == [result]


def test_a_numeric_scale_without_levels_cannot_feed_the_table():
    text = RULES.replace(", levels: [kurang, cukup, tinggi]", "")
    messages = [issue.message for issue in validate_text(text)]
    assert any("skala angka yang menyebut 'levels'" in m for m in messages), messages
