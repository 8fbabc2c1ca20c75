"""Input that could change a result but is wrong withholds the result (`tidak_valid`) and names
each problem in Indonesian; it is never a predikat with a warning. Ratings that cannot change
anything (a rater kind whose weight is 0) stay silent."""

from __future__ import annotations

from typing import Any

import pytest
from oracle import Oracle
from synthetic import BERAKHLAK

from app.engine import CompiledRuleset, evaluate, load_ruleset

ATAS, SESUAI = "di_atas_ekspektasi", "sesuai_ekspektasi"


def top_rated(*extra: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """An employee who would be Sangat Baik, plus `extra` ratings."""
    ratings: list[dict[str, Any]] = [
        {"rhk": f"RHK-{i}", "utama": True, "rater": "supervisor", "value": ATAS} for i in (1, 2)
    ]
    ratings += [{"indicator": code, "rater": "supervisor", "value": ATAS} for code in BERAKHLAK]
    ratings += [{"indicator": "DISIPLIN", "rater": "supervisor", "value": 5}]
    return {"nip": "1", "ratings": ratings + list(extra), **fields}


CASES = {
    "rhk value out of scale": (
        top_rated({"rhk": "RHK-3", "utama": True, "rater": "supervisor", "value": "istimewa"}),
        "Penilaian ke-11: nilai 'istimewa' di luar skala 'ekspektasi' untuk 'RHK-3'.",
    ),
    "local value zero": (
        top_rated({"indicator": "KUALITAS_KERJA", "rater": "supervisor", "value": 0}),
        "Penilaian ke-11: nilai '0' di luar skala 'bintang' untuk 'KUALITAS_KERJA'.",
    ),
    "misspelt indicator": (
        top_rated({"indicator": "DISIPLINE", "rater": "supervisor", "value": 4}),
        "Penilaian ke-11: indikator 'DISIPLINE' tidak ada di aturan ini.",
    ),
    "two supervisor ratings of one item": (
        top_rated({"indicator": "AKUNTABEL", "rater": "supervisor", "value": SESUAI}),
        "Penilaian ke-11: penilaian ganda oleh pejabat penilai untuk 'AKUNTABEL' "
        "(sudah dinilai di penilaian ke-4).",
    ),
    "two supervisor ratings of one rhk": (
        top_rated({"rhk": "RHK-1", "utama": True, "rater": "supervisor", "value": SESUAI}),
        "Penilaian ke-11: penilaian ganda oleh pejabat penilai untuk 'RHK-1' "
        "(sudah dinilai di penilaian ke-1).",
    ),
    "one peer twice": (
        top_rated(
            {"indicator": "ADAPTASI", "rater": "peer", "rater_id": "p7", "value": 4},
            {"indicator": "ADAPTASI", "rater": "peer", "rater_id": "p7", "value": 2},
        ),
        "Penilaian ke-12: penilaian ganda oleh rekan kerja untuk 'ADAPTASI' "
        "(sudah dinilai di penilaian ke-11).",
    ),
    "rhk without utama": (
        top_rated({"rhk": "RHK-3", "rater": "supervisor", "value": ATAS}),
        "Penilaian ke-11: RHK 'RHK-3' tanpa keterangan 'utama' (true untuk RHK utama, "
        "false untuk RHK tambahan).",
    ),
    "rhk with utama null": (
        top_rated({"rhk": "RHK-3", "utama": None, "rater": "supervisor", "value": ATAS}),
        "Penilaian ke-11: RHK 'RHK-3' tanpa keterangan 'utama' (true untuk RHK utama, "
        "false untuk RHK tambahan).",
    ),
    "rhk utama and tambahan at once": (
        top_rated({"rhk": "RHK-1", "utama": False, "rater": "peer", "value": ATAS}),
        "Penilaian ke-11: RHK 'RHK-1' disebut tambahan, padahal penilaian ke-1 menyebutnya utama.",
    ),
    "null value": (
        top_rated({"rhk": "RHK-3", "utama": True, "rater": "supervisor", "value": None}),
        "Penilaian ke-11: 'RHK-3' tanpa nilai.",
    ),
    "unknown rater kind": (
        top_rated({"indicator": "ADAPTASI", "rater": "atasan", "value": 4}),
        "Penilaian ke-11: jenis penilai 'atasan' tidak dikenal.",
    ),
    "neither indicator nor rhk": (
        top_rated({"rater": "supervisor", "value": 4}),
        "Penilaian ke-11 harus menyebut tepat satu: 'indicator' atau 'rhk'.",
    ),
    "a status outside the vocabulary": (
        top_rated(employee={"status": "pppk"}),
        "Nilai 'pppk' tidak sesuai untuk 'employee.status'.",
    ),
    "a level the scale does not have": (
        top_rated(levels={"hasil_kerja": "istimewa"}),
        "Tingkat 'istimewa' tidak ada di skala aspek 'hasil_kerja'.",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_withholds_the_result(ruleset: CompiledRuleset, case: str):
    employee, message = CASES[case]
    (result,) = evaluate(ruleset, [employee])
    assert result["status"] == "tidak_valid"
    assert result["issues"] == [message]
    assert result["message"] == f"Tidak valid: {message}"
    assert result["predicate"] is None
    assert result["awards"] == result["training"] == [] and result["consequences"] == {}
    assert evaluate(ruleset, [employee], cache=False) == [result]
    assert Oracle(ruleset.model.text).evaluate(employee)["status"] == "tidak_valid"


def test_the_same_employee_without_the_problem_is_sangat_baik(ruleset: CompiledRuleset):
    (result,) = evaluate(ruleset, [top_rated()])
    assert result["status"] == "lengkap" and result["predicate"] == "sangat_baik"


@pytest.mark.parametrize(
    "rating",
    [
        {"indicator": "ADAPTASI", "rater": "self", "value": 9},
        {"indicator": "DISIPLINE", "rater": "self", "value": 4},
        {"rhk": "RHK-1", "rater": "self", "value": "bagus"},
        {"indicator": "AKUNTABEL", "rater": "self", "value": None},
    ],
)
def test_a_weight_zero_kind_stays_silent(ruleset: CompiledRuleset, rating: dict):
    (result,) = evaluate(ruleset, [top_rated(rating)])
    assert result["status"] == "lengkap" and result["issues"] == []
    assert result["predicate"] == "sangat_baik"


def test_different_peers_may_rate_one_item(ruleset: CompiledRuleset):
    employee = top_rated(
        {"indicator": "ADAPTASI", "rater": "peer", "rater_id": "p1", "value": 4},
        {"indicator": "ADAPTASI", "rater": "peer", "rater_id": "p2", "value": 2},
        {"indicator": "ADAPTASI", "rater": "peer", "value": 3},
        {"indicator": "ADAPTASI", "rater": "peer", "value": 3},
    )
    (result,) = evaluate(ruleset, [employee])
    assert result["status"] == "lengkap"
    assert result["indicators"]["ADAPTASI"] == 3.0


def test_a_kind_the_ruleset_does_not_list_is_refused(default_text: str):
    text = default_text.replace(
        "raters: {supervisor: 70, peer: 20, public: 10, self: 0}", "raters: {supervisor: 1}"
    )
    assert text != default_text
    ruleset = load_ruleset(text)
    employee = top_rated({"indicator": "ADAPTASI", "rater": "peer", "value": 4})
    (result,) = evaluate(ruleset, [employee])
    assert result["status"] == "tidak_valid"
    assert result["issues"] == [
        "Penilaian ke-11: penilaian oleh rekan kerja tidak dipakai aturan ini."
    ]


def test_every_problem_is_named_once(ruleset: CompiledRuleset):
    employee = top_rated(
        {"indicator": "DISIPLINE", "rater": "supervisor", "value": 4},
        {"rhk": "RHK-3", "rater": "supervisor", "value": ATAS},
        "bukan penilaian",
        history={"baik_years": "dua"},
    )
    (result,) = evaluate(ruleset, [employee])
    assert len(result["issues"]) == 4
    assert result["issues"][2] == "Penilaian ke-13 bukan pemetaan (objek JSON)."
