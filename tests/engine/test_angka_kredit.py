"""Angka kredit (Peraturan BKN 3/2023; coefficients per jenjang, PermenPANRB 1/2023):
percentage of the predikat × annual coefficient × months/12, two decimals, fungsional only."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import Oracle
from synthetic import BERAKHLAK

from app.engine import CompiledRuleset, evaluate, load_ruleset, validate_text

KOEFISIEN = {
    "pemula": 3.75,
    "terampil": 5,
    "mahir": 12.5,
    "penyelia": 25,
    "ahli_pertama": 12.5,
    "ahli_muda": 25,
    "ahli_madya": 37.5,
    "ahli_utama": 50,
}
# (hasil kerja, perilaku kerja) giving each predikat, with its percentage
PREDIKAT = {
    "sangat_baik": (("di_atas_ekspektasi", "di_atas_ekspektasi"), 150),
    "baik": (("sesuai_ekspektasi", "sesuai_ekspektasi"), 100),
    "butuh_perbaikan": (("di_bawah_ekspektasi", "sesuai_ekspektasi"), 75),
    "kurang": (("sesuai_ekspektasi", "di_bawah_ekspektasi"), 50),
    "sangat_kurang": (("di_bawah_ekspektasi", "di_bawah_ekspektasi"), 25),
}
# Every jenjang x predikat over a whole year, worked out by hand (percent x coefficient).
ANNUAL = {
    "pemula": (5.63, 3.75, 2.81, 1.88, 0.94),
    "terampil": (7.5, 5.0, 3.75, 2.5, 1.25),
    "mahir": (18.75, 12.5, 9.38, 6.25, 3.13),
    "penyelia": (37.5, 25.0, 18.75, 12.5, 6.25),
    "ahli_pertama": (18.75, 12.5, 9.38, 6.25, 3.13),
    "ahli_muda": (37.5, 25.0, 18.75, 12.5, 6.25),
    "ahli_madya": (56.25, 37.5, 28.13, 18.75, 9.38),
    "ahli_utama": (75.0, 50.0, 37.5, 25.0, 12.5),
}


def person(predikat: str, jenjang: str | None = "ahli_pertama", months=12, **employee) -> dict:
    (hasil, perilaku), _ = PREDIKAT[predikat]
    ratings = [{"rhk": "RHK-1", "utama": True, "rater": "supervisor", "value": hasil}]
    ratings += [{"indicator": c, "rater": "supervisor", "value": perilaku} for c in BERAKHLAK]
    facts = {"jabatan": "fungsional", **employee}
    if jenjang is not None:
        facts["jenjang"] = jenjang
    out = {"nip": "1", "employee": facts, "ratings": ratings}
    if months is not None:
        out["period"] = {"kind": "tahunan" if months == 12 else "bulanan", "months": months}
    return out


@pytest.mark.parametrize("jenjang", list(ANNUAL))
def test_every_jenjang_and_predikat_over_a_year(ruleset: CompiledRuleset, jenjang: str):
    results = evaluate(ruleset, [person(p, jenjang) for p in PREDIKAT])
    assert [r["predicate"] for r in results] == list(PREDIKAT)
    assert tuple(r["consequences"]["angka_kredit"] for r in results) == ANNUAL[jenjang]
    percents = [r["consequences"]["angka_kredit_percent"] for r in results]
    assert percents == [pct for _, pct in PREDIKAT.values()]


def test_the_bkn_worked_examples(ruleset: CompiledRuleset):
    """Ahli pertama: Sangat Baik over 2023 -> 18.75; Baik in January-February 2024 -> 2.08."""
    year, two_months = evaluate(
        ruleset, [person("sangat_baik", months=12), person("baik", months=2)]
    )
    assert year["consequences"]["angka_kredit"] == 18.75
    assert two_months["consequences"]["angka_kredit"] == 2.08


def test_halves_round_up(ruleset: CompiledRuleset):
    """terampil, Sangat Baik, one month: 150% x 5 / 12 = 0.625 exactly -> 0.63."""
    (result,) = evaluate(ruleset, [person("sangat_baik", "terampil", months=1)])
    assert result["consequences"]["angka_kredit"] == 0.63


@settings(max_examples=80, deadline=None)
@given(
    st.sampled_from(list(PREDIKAT)),
    st.sampled_from(list(KOEFISIEN)),
    st.integers(1, 12),
)
def test_any_period_is_prorated_by_months(ruleset, predikat, jenjang, months):
    (result,) = evaluate(ruleset, [person(predikat, jenjang, months=months)])
    exact = Fraction(PREDIKAT[predikat][1], 100) * Fraction(str(KOEFISIEN[jenjang])) * months / 12
    expected = int(exact * 100 + Fraction(1, 2)) / 100
    assert result["consequences"]["angka_kredit"] == expected
    assert (
        Oracle(ruleset.model.text).evaluate(person(predikat, jenjang, months=months))[
            "consequences"
        ]
        == result["consequences"]
    )


@pytest.mark.parametrize("jabatan", ["jpt", "administrator", "pengawas", "pelaksana"])
def test_no_angka_kredit_nor_percentage_outside_jabatan_fungsional(ruleset, jabatan):
    (result,) = evaluate(ruleset, [person("baik", "ahli_muda", jabatan=jabatan)])
    assert result["status"] == "lengkap"
    assert result["consequences"]["angka_kredit"] is None
    assert "angka_kredit_percent" not in result["consequences"]


def test_a_jenjang_without_jabatan_means_fungsional(ruleset: CompiledRuleset):
    employee = person("baik", "ahli_muda")
    del employee["employee"]["jabatan"]
    (result,) = evaluate(ruleset, [employee])
    assert result["consequences"]["angka_kredit"] == 25.0


def test_what_cannot_be_computed_is_null(ruleset: CompiledRuleset):
    no_jenjang, no_period, kind_only = evaluate(
        ruleset,
        [
            person("baik", jenjang=None),
            person("baik", months=None),
            {**person("baik", "ahli_muda", months=None), "period": {"kind": "triwulanan"}},
        ],
    )
    assert no_jenjang["consequences"] == {
        "angka_kredit_percent": 100,
        "angka_kredit": None,
        "allowance": no_jenjang["consequences"]["allowance"],
    }
    assert no_period["consequences"]["angka_kredit"] is None
    assert kind_only["consequences"]["angka_kredit"] == 6.25  # 3 months of 25


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"employee": {"jabatan": "fungsional", "jenjang": "ahli"}},
            "Jenjang 'ahli' tidak dikenal",
        ),
        ({"period": {"kind": "tahunan", "months": 13}}, "'period.months' harus bilangan bulat"),
        ({"period": {"kind": "mingguan"}}, "Jenis periode 'mingguan' tidak dikenal"),
        ({"period": "2024"}, "'period' harus berupa pemetaan"),
        ({"employee": {"jabatan": "fungsional_umum"}}, "'employee.jabatan'"),
    ],
)
def test_wrong_angka_kredit_input_withholds_the_result(ruleset, change, message):
    employee = {**person("baik"), **change}
    (result,) = evaluate(ruleset, [employee])
    assert result["status"] == "tidak_valid"
    assert any(message in issue for issue in result["issues"]), result["issues"]
    assert Oracle(ruleset.model.text).evaluate(employee)["status"] == "tidak_valid"


def test_the_older_percent_only_form_still_loads(default_text: str):
    start = default_text.index("  angka_kredit:\n")
    end = default_text.index("  # [LOKAL, BELUM DIKONFIRMASI] TPP Aceh")
    old = (
        "  angka_kredit_percent: {sangat_baik: 150, baik: 100, butuh_perbaikan: 75, "
        "kurang: 50, sangat_kurang: 25}\n"
    )
    ruleset = load_ruleset(default_text[:start] + old + default_text[end:])
    fungsional, pelaksana = evaluate(
        ruleset, [person("sangat_baik"), person("sangat_baik", jabatan="pelaksana")]
    )
    assert fungsional["consequences"]["angka_kredit_percent"] == 150
    assert fungsional["consequences"]["angka_kredit"] is None
    assert pelaksana["consequences"]["angka_kredit"] is None
    assert "angka_kredit_percent" not in pelaksana["consequences"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("      ahli_utama: 50\n", "", "Jenjang 'ahli_utama' tidak ada"),
        ("      pemula: 3.75", "      pemula: 0", "Koefisien jenjang 'pemula'"),
        ("      pemula: 3.75", "      pemula: 3.75\n      guru: 1", "Jenjang 'guru' tidak dikenal"),
        (
            "  angka_kredit:\n",
            "  angka_kredit_percent: {}\n  angka_kredit:\n",
            "jangan keduanya",
        ),
    ],
)
def test_angka_kredit_section_is_validated(default_text: str, old: str, new: str, message: str):
    text = default_text.replace(old, new, 1)
    assert text != default_text
    assert any(message in issue.message for issue in validate_text(text))
