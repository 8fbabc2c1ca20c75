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


# Each RHK scored by its capaian (realisation against target, in %), as a province that scores
# hasil kerja 0–100 does; the mean decides the level, and a utama RHK far below holds it down.
RHK_RULES = """
name: capaian-rhk
scales:
  capaian: {min: 0, max: 200, levels: [kurang, cukup, tinggi]}
  ekspektasi: [di_bawah_ekspektasi, sesuai_ekspektasi, di_atas_ekspektasi]
raters: {supervisor: 1, peer: 1}
aspects:
  hasil_kerja: {scale: capaian, source: rhk, raters: [supervisor]}
  perilaku_kerja: {scale: ekspektasi, indicators: [AKUNTABEL], raters: [supervisor]}
levels:
  hasil_kerja:
    - {level: tinggi, when: {all: [{score: {gte: 100}}, {utama.min: {gte: 80}}]}}
    - {level: cukup, when: {all: [{score: {gte: 75}}, {utama.min: {gte: 50}}]}}
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


def _rhk(values: list[tuple[bool, object]], perilaku: str = "sesuai_ekspektasi") -> dict:
    ratings = [
        {"rhk": f"RHK-{i}", "utama": utama, "rater": "supervisor", "value": value}
        for i, (utama, value) in enumerate(values, start=1)
    ]
    ratings.append({"indicator": "AKUNTABEL", "rater": "supervisor", "value": perilaku})
    return {"nip": "1", "ratings": ratings}


@pytest.mark.parametrize(
    ("values", "level", "predikat"),
    [
        ([(True, 110), (True, 95), (False, 100)], "tinggi", "baik"),  # mean 101.6667
        ([(True, 120), (True, 79.5), (False, 150)], "cukup", "baik"),  # a utama below 80
        ([(True, 60), (False, 100)], "cukup", "baik"),  # mean 80
        ([(True, 45), (False, 200)], "kurang", "butuh_perbaikan"),  # a utama below 50
        ([(True, 74.99)], "kurang", "butuh_perbaikan"),
    ],
)
def test_rhk_scored_by_capaian_decide_the_level_by_mean_and_lowest_utama(values, level, predikat):
    ruleset = load_ruleset(RHK_RULES)
    employee = _rhk(values)
    (result,) = evaluate(ruleset, [employee])
    hasil = result["aspects"]["hasil_kerja"]
    assert result["status"] == "lengkap"
    assert hasil["level"] == level and result["predicate"] == predikat
    numbers = [float(v) for _, v in values]
    assert hasil["total"] == len(values) and hasil["min"] == min(numbers)
    assert hasil["score"] == round(sum(numbers) / len(numbers), 4)
    assert hasil["utama"]["total"] == sum(u for u, _ in values)
    oracle = Oracle(RHK_RULES).evaluate(employee)
    assert oracle["aspects"]["hasil_kerja"] == {
        k: v for k, v in hasil.items() if k not in ("input",)
    }
    assert oracle["predicate"] == predikat
    assert evaluate(ruleset, [employee], cache=False) == [result]


def test_capaian_out_of_scale_or_as_a_level_is_not_valid():
    ruleset = load_ruleset(RHK_RULES)
    wrong = [_rhk([(True, 250)]), _rhk([(True, "di_atas_ekspektasi")]), _rhk([(True, True)])]
    results = evaluate(ruleset, wrong)
    for result in results:
        assert result["status"] == "tidak_valid" and result["predicate"] is None
        assert "di luar skala 'capaian'" in result["issues"][0]
    assert evaluate(ruleset, wrong, cache=False) == results


def test_peers_capaian_is_input_not_a_vote():
    ruleset = load_ruleset(RHK_RULES)
    employee = _rhk([(True, 100)])
    employee["ratings"].append({"rhk": "RHK-1", "utama": True, "rater": "peer", "value": 40})
    (result,) = evaluate(ruleset, [employee])
    hasil = result["aspects"]["hasil_kerja"]
    assert hasil["score"] == 100.0 and hasil["input"] == {"peer": {"RHK-1": [40.0, 1]}}
    assert evaluate(ruleset, [employee], cache=False) == [result]


def test_random_capaian_agree_with_the_oracle_on_both_paths():
    import random

    rng = random.Random(13)
    ruleset = load_ruleset(RHK_RULES)
    oracle = Oracle(RHK_RULES)
    people = []
    for n in range(300):
        values = [
            (rng.random() < 0.6, rng.choice([rng.randint(0, 200), round(rng.uniform(0, 200), 2)]))
            for _ in range(rng.randint(1, 5))
        ]
        levels = ("di_bawah_ekspektasi", "sesuai_ekspektasi", "di_atas_ekspektasi")
        person = _rhk(values, rng.choice(levels))
        person["nip"] = str(n)
        people.append(person)
    cached = evaluate(ruleset, people)
    assert evaluate(ruleset, people, cache=False) == cached
    for person, result in zip(people, cached, strict=True):
        expected = oracle.evaluate(person)
        assert (
            expected["aspects"]["hasil_kerja"]["level"] == result["aspects"]["hasil_kerja"]["level"]
        )
        assert expected["predicate"] == result["predicate"]
