"""The cached path (memos of items, aspect facts, stage verdicts) gives the plain path's results.

Compared as JSON text with sorted keys, so that float bits (`1` against `1.0`, `-0.0`), the order of
`fired`, `explanation` and `issues`, and every explanation text must agree, on realistic employees
and on unusual ones that send the cached path back to the plain one.
"""

from __future__ import annotations

import gc
import json
import random
from decimal import Decimal
from typing import Any

import pytest
from synthetic import employees

from app.engine import CompiledRuleset, evaluate, load_ruleset


def _text(results: list[dict[str, Any]]) -> str:
    return json.dumps(results, sort_keys=True, ensure_ascii=False)


def _unusual(rng: random.Random, person: dict[str, Any]) -> dict[str, Any]:
    """One of the inputs the memos must not confuse with ordinary ones."""
    person = json.loads(json.dumps(person))
    ratings = person["ratings"]
    choice = rng.randrange(20)
    if choice == 0:
        ratings.append({"indicator": "DISIPLIN", "rater": "supervisor", "value": True})
    elif choice == 1:
        ratings.append({"indicator": "DISIPLIN", "rater": "supervisor", "value": 4.0})
    elif choice == 2:
        ratings.append({"indicator": "NOPE", "rater": "supervisor", "value": 3})
    elif choice == 3:
        ratings.append({"indicator": "AKUNTABEL", "rater": "self", "value": "salah"})
    elif choice == 4:
        ratings.insert(0, ratings.pop())  # a code rated again after other items
    elif choice == 5:
        ratings.append({"rhk": 1, "utama": 1, "rater": "supervisor", "value": "sesuai_ekspektasi"})
    elif choice == 6:
        ratings.append(
            {"indicator": None, "rhk": "RHK-9", "rater": "supervisor", "value": "sesuai_ekspektasi"}
        )
    elif choice == 7:
        person["history"] = {"sangat_baik_streak": rng.choice([2, 2.0, -0.0, 0, "dua"])}
    elif choice == 8:
        person["levels"] = {"hasil_kerja": rng.choice(["di_atas_ekspektasi", "bukan"])}
    elif choice == 9:
        ratings.append("bukan penilaian")
    elif choice == 10:
        ratings.append({"rhk": "RHK-1", "rater": "self", "utama": True, "value": "x"})
    elif choice == 11:  # one RHK rated twice, apart: grouped per RHK, not memoised as a set
        ratings.append(
            {
                "rhk": "RHK-1",
                "utama": True,
                "rater": "supervisor",
                "value": rng.choice(["di_atas_ekspektasi", "di_bawah_ekspektasi"]),
            }
        )
    elif choice == 12:  # equal to 4 but not an int or float
        ratings.append(
            {"indicator": "KUALITAS_KERJA", "rater": "supervisor", "value": Decimal("4")}
        )
    elif choice == 13:  # an utama of None is missing (not valid); False is tambahan
        ratings.append(
            {
                "rhk": "RHK-T9",
                "utama": rng.choice([None, False]),
                "rater": "supervisor",
                "value": "di_atas_ekspektasi",
            }
        )
    elif choice == 14:  # peers named by rater_id, once or twice
        for rater_id in rng.choice([("a", "b"), ("a", "a"), (1, "1")]):
            ratings.append(
                {
                    "indicator": "ADAPTASI",
                    "rater": "peer",
                    "rater_id": rater_id,
                    "value": rng.randint(1, 5),
                }
            )
    elif choice == 15:  # input on an RHK by peers and the employee, by RHK id
        for rater in ("peer", "self", "peer"):
            ratings.append(
                {
                    "rhk": "RHK-1",
                    "utama": True,
                    "rater": rater,
                    "value": rng.choice(["sesuai_ekspektasi", "di_atas_ekspektasi"]),
                }
            )
    elif choice == 16:  # a rating naming both an indicator and an RHK
        ratings.append(
            {
                "indicator": "AKUNTABEL",
                "rhk": "RHK-1",
                "rater": "supervisor",
                "value": "sesuai_ekspektasi",
            }
        )
    elif choice == 17:  # angka kredit input, right or wrong
        person["employee"]["jenjang"] = rng.choice(["ahli_muda", "ahli"])
        person["period"] = rng.choice([{"kind": "triwulanan"}, {"months": 0}, None])
    elif choice == 18:  # the public rating a BerAKHLAK value: input, as no catalogue is given
        ratings.append({"indicator": "KOMPETEN", "rater": "public", "value": "di_bawah_ekspektasi"})
    else:
        person["ratings"] = ratings[: rng.randrange(len(ratings) + 1)]
    return person


def test_cached_path_equals_plain_path_to_the_bit(default_text: str) -> None:
    rng = random.Random(5)
    people = employees(600, seed=17)
    people += [_unusual(rng, p) for p in employees(400, seed=18)]
    rng.shuffle(people)
    for explain in (True, False):
        fresh = load_ruleset(default_text)  # empty memos: they fill during this batch
        cached = evaluate(fresh, people, explain=explain)
        again = evaluate(fresh, people, explain=explain)  # memos full
        plain = evaluate(fresh, people, cache=False, explain=explain)
        assert _text(cached) == _text(plain)
        assert _text(again) == _text(plain)
        assert cached == plain


def _top(history: dict[str, Any], extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An employee rated di_atas_ekspektasi throughout: predikat sangat_baik, awards fire."""
    best = "di_atas_ekspektasi"
    ratings: list[dict[str, Any]] = [
        {"rhk": f"RHK-{i}", "utama": True, "rater": "supervisor", "value": best} for i in range(3)
    ]
    ratings += [
        {"indicator": code, "rater": "supervisor", "value": best}
        for code in ("BERORIENTASI_PELAYANAN", "AKUNTABEL", "KOMPETEN", "HARMONIS")
        + ("LOYAL", "ADAPTIF", "KOLABORATIF")
    ]
    ratings += [{"indicator": "DISIPLIN", "rater": "supervisor", "value": 5}]
    return {"nip": "1", "history": history, "ratings": ratings + (extra or [])}


def test_values_that_are_equal_but_read_differently_are_not_confused(
    default_text: str,
) -> None:
    odd_rhk = {"indicator": None, "rhk": "X", "rater": "supervisor", "value": "sesuai_ekspektasi"}
    people = [
        _top({"sangat_baik_streak": 2, "baik_years": 1}),
        _top({"sangat_baik_streak": 2.0, "baik_years": 1.0}),
        _top({"sangat_baik_streak": 2, "baik_years": -0.0}),
        _top({"sangat_baik_streak": 2, "baik_years": 0.0}),
        _top({"sangat_baik_streak": 2, "baik_years": True}),
        _top({}, [{"indicator": "DISIPLIN", "rater": "peer", "value": 4}]),
        _top({}, [{"indicator": "DISIPLIN", "rater": "peer", "value": True}]),
        _top({}, [odd_rhk]),
    ]
    fresh = load_ruleset(default_text)
    assert _text(evaluate(fresh, people)) == _text(evaluate(fresh, people, cache=False))


def test_bands_mixing_whole_and_decimal_thresholds_decide_the_same_cached(
    default_text: str,
) -> None:
    """`gte: 4.5` above `gte: 1`: the cached classes of a number follow numeric order, not the
    order of the thresholds' types (a 2 must not share a class with a 5)."""
    bands = default_text.index("    disiplin_percent:")
    text = default_text[:bands] + (
        "    disiplin_percent:\n"
        "      - {name: tpp-disiplin-penuh, when: {indicator.DISIPLIN: {gte: 4.5}}, percent: 100}\n"
        "      - {name: tpp-disiplin-rendah, when: {indicator.DISIPLIN: {gte: 1}}, percent: 50}\n"
        "      - {name: tpp-disiplin-belum-dinilai, percent: 100}\n"
    )
    people = []
    for value in (2, 5, 1, 4.5, 3):
        person = _top({})
        for rating in person["ratings"]:
            if rating.get("indicator") == "DISIPLIN":
                rating["value"] = value
        people.append(person)
    fresh = load_ruleset(text)
    cached = evaluate(fresh, people)
    assert _text(cached) == _text(evaluate(fresh, people, cache=False))
    shares = [r["consequences"]["allowance"]["components"]["disiplin"] for r in cached]
    assert shares == [50, 100, 50, 100, 50]


def test_results_share_no_mutable_parts(ruleset: CompiledRuleset) -> None:
    twins = employees(1, seed=3) * 2
    first, second = evaluate(ruleset, twins)
    assert first == second
    first["aspects"]["hasil_kerja"]["count"]["sesuai_ekspektasi"] = -1
    first["explanation"][0]["inputs"]["x"] = 1
    first["fired"].append("x")
    assert first != second
    assert evaluate(ruleset, twins)[1] == second


def test_the_garbage_collector_is_restored_after_a_bulk_batch(ruleset: CompiledRuleset) -> None:
    assert gc.isenabled()
    evaluate(ruleset, employees(5, seed=1), bulk=True)
    assert gc.isenabled()
    gc.disable()
    try:
        evaluate(ruleset, employees(5, seed=1), bulk=True)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_only_a_bulk_caller_pauses_the_garbage_collector(
    ruleset: CompiledRuleset, monkeypatch: pytest.MonkeyPatch
) -> None:
    paused: list[bool] = []
    monkeypatch.setattr(gc, "disable", lambda: paused.append(True))
    one = evaluate(ruleset, employees(1, seed=2))
    assert paused == []  # one employee in a web request: the collector is left alone
    assert evaluate(ruleset, employees(1, seed=2), bulk=True) == one
    assert paused == [True]
