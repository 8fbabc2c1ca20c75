"""Property tests: the engine agrees with the independent oracle, and the fast path with the plain.

Random ratings (and random rater and indicator weights) are evaluated by the engine, with and
without its decision tables, and by `oracle.Oracle`, a separate plain-Python reading of the rules.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import Oracle
from synthetic import BERAKHLAK, EKSPEKTASI, LOCAL, ORG, employees

from app.engine import CompiledRuleset, evaluate, load_indicators, load_ruleset

COMPARED = ("status", "predicate", "awards", "training", "consequences", "fired")
ASPECT_FIELDS = ("score", "level", "proposed", "source", "total", "input")


def assert_same(engine_results: list[dict], oracle: Oracle, inputs: list[dict]) -> None:
    for employee, got in zip(inputs, engine_results, strict=True):
        expected = oracle.evaluate(employee)
        for key in COMPARED:
            assert got[key] == expected[key], (key, employee)
        for aspect, fields in expected["aspects"].items():
            for field in ASPECT_FIELDS:
                got_field = got["aspects"][aspect].get(field)
                assert got_field == fields.get(field), (aspect, field, employee)


def _with_rater_id(rating: dict, rater_id: str | None) -> dict:
    return rating if rater_id is None else {**rating, "rater_id": rater_id}


rater_ids = st.sampled_from([None, None, None, "a", "b"])
rating = st.one_of(
    st.builds(
        lambda i, utama, rater, value: {
            "rhk": f"RHK-{i}",
            "utama": utama,
            "rater": rater,
            "value": value,
        },
        st.integers(1, 6),
        st.booleans(),
        st.sampled_from(["supervisor", "peer", "self", "public"]),
        st.sampled_from(EKSPEKTASI),
    ),
    st.builds(
        lambda code, rater, value, rid: _with_rater_id(
            {"indicator": code, "rater": rater, "value": value}, rid
        ),
        st.sampled_from(BERAKHLAK),
        st.sampled_from(["supervisor", "peer", "peer", "self", "public"]),
        st.sampled_from(EKSPEKTASI),
        rater_ids,
    ),
    st.builds(
        lambda code, rater, value, rid: _with_rater_id(
            {"indicator": code, "rater": rater, "value": value}, rid
        ),
        st.sampled_from(LOCAL),
        st.sampled_from(["supervisor", "peer", "peer", "public", "self"]),
        st.one_of(st.integers(1, 5), st.floats(1, 5, allow_nan=False)),
        rater_ids,
    ),
)
person = st.fixed_dictionaries(
    {"is_unit_head": st.booleans()},
    optional={
        "jabatan": st.sampled_from(["fungsional", "fungsional", "pelaksana", "jpt"]),
        "jenjang": st.sampled_from(["ahli_pertama", "terampil", "ahli_utama", "pemula"]),
        "status": st.sampled_from(["PNS", "PPPK"]),
    },
)
period = st.none() | st.fixed_dictionaries(
    {"kind": st.sampled_from(["bulanan", "triwulanan", "semesteran", "tahunan"])},
    optional={"months": st.integers(1, 12)},
)
employee = st.builds(
    lambda ratings, facts, when, org, streak, years, levels: {
        "nip": "1",
        "employee": facts,
        "period": when,
        "unit": {"predicate": org},
        "history": {"sangat_baik_streak": streak, "baik_years": years},
        "levels": levels,
        "ratings": ratings,
    },
    st.lists(rating, min_size=0, max_size=40),
    person,
    period,
    st.sampled_from(ORG),
    st.integers(0, 4),
    st.integers(0, 4),
    st.dictionaries(
        st.sampled_from(["hasil_kerja", "perilaku_kerja"]), st.sampled_from(EKSPEKTASI), max_size=1
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(employee, min_size=1, max_size=8))
def test_engine_matches_oracle_on_random_ratings(default_text: str, people: list[dict]) -> None:
    ruleset = _default(default_text)
    results = evaluate(ruleset, people)
    assert_same(results, _oracle(default_text), people)
    assert evaluate(ruleset, people, cache=False) == results


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(employee, min_size=1, max_size=8))
def test_engine_matches_oracle_with_the_catalogue(default_text: str, people: list[dict]) -> None:
    """With the catalogue's entries, a kind it does not allow for a code is refused alike."""
    ruleset, oracle = _with_catalogue(default_text)
    results = evaluate(ruleset, people)
    assert_same(results, oracle, people)
    assert evaluate(ruleset, people, cache=False) == results


weights = st.integers(1, 100)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.tuples(weights, weights, weights),
    st.tuples(weights, weights, weights, weights),
    st.integers(0, 2**32),
)
def test_engine_matches_oracle_with_random_weights(default_text: str, raters, indicator, seed):
    text = re.sub(
        r"raters: \{[^}]*\}",
        "raters: {{supervisor: {}, peer: {}, public: {}, self: 0}}".format(*raters),
        default_text,
    )
    text = re.sub(
        r"indicators: \{KUALITAS_KERJA[^}]*\}",
        "indicators: {{KUALITAS_KERJA: {}, DISIPLIN: {}, ADAPTASI: {}, "
        "KEPUASAN_PUBLIK: {}}}".format(*indicator),
        text,
    )
    ruleset = load_ruleset(text)
    people = employees(40, seed=seed)
    results = evaluate(ruleset, people)
    assert_same(results, Oracle(text), people)
    assert evaluate(ruleset, people, cache=False) == results


def test_fast_path_equals_plain_path_on_a_larger_random_population(ruleset: CompiledRuleset):
    people = employees(1500, seed=11)
    fast = evaluate(ruleset, people)
    assert evaluate(ruleset, people, cache=False) == fast
    assert_same(fast[:300], Oracle(ruleset.model.text), people[:300])


def test_random_population_reaches_every_predikat(ruleset: CompiledRuleset):
    rng = random.Random(3)
    people = employees(600, seed=rng.randint(0, 1000))
    predicates = {r["predicate"] for r in evaluate(ruleset, people)}
    assert {"sangat_baik", "baik", "butuh_perbaikan", "kurang"} <= predicates


_CACHE: dict[str, object] = {}


def _with_catalogue(text: str) -> tuple[CompiledRuleset, Oracle]:
    if "catalogue" not in _CACHE:
        entries = load_indicators(Path(__file__).parents[2] / "rules" / "indicators.yaml")
        _CACHE["catalogue"] = (load_ruleset(text, indicators=entries), Oracle(text, entries))
    return _CACHE["catalogue"]  # type: ignore[return-value]


def _default(text: str) -> CompiledRuleset:
    if "rs" not in _CACHE:
        _CACHE["rs"] = load_ruleset(text)
    return _CACHE["rs"]  # type: ignore[return-value]


def _oracle(text: str) -> Oracle:
    if "oracle" not in _CACHE:
        _CACHE["oracle"] = Oracle(text)
    return _CACHE["oracle"]  # type: ignore[return-value]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 9)
    | st.floats(allow_nan=True)
    | st.text(max_size=5)
    | st.sampled_from([*EKSPEKTASI, *BERAKHLAK, *LOCAL, "supervisor", "peer", "self", "public"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
messy_rating = st.dictionaries(
    st.sampled_from(["indicator", "rhk", "rater", "value", "utama", "x"]), json_values, max_size=5
)
messy_employee = st.fixed_dictionaries(
    {"nip": json_values},
    optional={
        "ratings": st.lists(messy_rating | json_values, max_size=10) | json_values,
        "employee": json_values,
        "unit": json_values,
        "history": json_values,
        "levels": json_values,
    },
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messy_employee, max_size=4))
def test_malformed_input_is_reported_never_raised(default_text: str, people: list[dict]) -> None:
    results = evaluate(_default(default_text), people)
    assert len(results) == len(people)
    for result in results:
        assert result["status"] in ("lengkap", "belum_lengkap", "tidak_valid")
        assert all(isinstance(issue, str) for issue in result["issues"])
