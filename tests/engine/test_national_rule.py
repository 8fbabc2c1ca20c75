"""The national rule of PermenPANRB 6/2022 and the worked cases of the domain notes (§12)."""

from __future__ import annotations

import itertools

import pytest
from synthetic import BERAKHLAK, EKSPEKTASI

from app.engine import CompiledRuleset, evaluate

MATRIX = {  # domain.md §12.1: (hasil kerja, perilaku kerja) -> predikat
    ("di_atas_ekspektasi", "di_atas_ekspektasi"): "sangat_baik",
    ("di_atas_ekspektasi", "sesuai_ekspektasi"): "baik",
    ("di_atas_ekspektasi", "di_bawah_ekspektasi"): "kurang",
    ("sesuai_ekspektasi", "di_atas_ekspektasi"): "baik",
    ("sesuai_ekspektasi", "sesuai_ekspektasi"): "baik",
    ("sesuai_ekspektasi", "di_bawah_ekspektasi"): "kurang",
    ("di_bawah_ekspektasi", "di_atas_ekspektasi"): "butuh_perbaikan",
    ("di_bawah_ekspektasi", "sesuai_ekspektasi"): "butuh_perbaikan",
    ("di_bawah_ekspektasi", "di_bawah_ekspektasi"): "sangat_kurang",
}
ANGKA_KREDIT = {
    "sangat_baik": 150,
    "baik": 100,
    "butuh_perbaikan": 75,
    "kurang": 50,
    "sangat_kurang": 25,
}


def rated(rhk: list[tuple[str, bool]], perilaku: str | list[str], **extra) -> dict:
    """An employee whose supervisor rated the RHK (level, utama) and the seven BerAKHLAK values."""
    values = perilaku if isinstance(perilaku, list) else [perilaku] * 7
    ratings = [
        {"rhk": f"RHK-{i}", "utama": utama, "rater": "supervisor", "value": level}
        for i, (level, utama) in enumerate(rhk, start=1)
    ]
    ratings += [
        {"indicator": code, "rater": "supervisor", "value": value}
        for code, value in zip(BERAKHLAK, values, strict=True)
    ]
    extra.setdefault("employee", {"jabatan": "fungsional", "jenjang": "ahli_pertama"})
    extra.setdefault("period", {"kind": "tahunan", "months": 12})
    return {"nip": "198609262015051001", "ratings": ratings, **extra}


@pytest.mark.parametrize(("hasil", "perilaku"), list(MATRIX))
def test_every_predikat_cell_from_ratings(ruleset: CompiledRuleset, hasil: str, perilaku: str):
    (result,) = evaluate(ruleset, [rated([(hasil, True)] * 3, perilaku)])
    assert result["status"] == "lengkap"
    assert result["aspects"]["hasil_kerja"]["level"] == hasil
    assert result["aspects"]["perilaku_kerja"]["level"] == perilaku
    assert result["predicate"] == MATRIX[(hasil, perilaku)]
    assert f"predikat.{hasil}.{perilaku}" in result["fired"]
    assert result["consequences"]["angka_kredit_percent"] == ANGKA_KREDIT[result["predicate"]]


@pytest.mark.parametrize(("hasil", "perilaku"), list(MATRIX))
def test_every_predikat_cell_from_levels_given_by_the_supervisor(
    ruleset: CompiledRuleset, hasil: str, perilaku: str
):
    employee = rated(
        [("sesuai_ekspektasi", True)],
        "sesuai_ekspektasi",
        levels={"hasil_kerja": hasil, "perilaku_kerja": perilaku},
    )
    (result,) = evaluate(ruleset, [employee])
    assert result["predicate"] == MATRIX[(hasil, perilaku)]
    assert result["aspects"]["hasil_kerja"]["source"] == "penilai"
    assert result["aspects"]["hasil_kerja"]["proposed"] == "sesuai_ekspektasi"
    assert any(e["rule"] == "penilai.hasil_kerja" for e in result["explanation"])


def test_all_main_results_above_expectation_gives_di_atas(ruleset: CompiledRuleset):
    employee = rated(
        [("di_atas_ekspektasi", True)] * 3 + [("sesuai_ekspektasi", False)], "sesuai_ekspektasi"
    )
    (result,) = evaluate(ruleset, [employee])
    assert result["aspects"]["hasil_kerja"]["level"] == "di_atas_ekspektasi"


def test_a_main_result_below_expectation_rules_out_di_atas(ruleset: CompiledRuleset):
    """§12.2: any RHK utama 'di bawah' -> cannot be 'di atas', however many are above."""
    employee = rated(
        [("di_atas_ekspektasi", True)] * 4 + [("di_bawah_ekspektasi", True)], "sesuai_ekspektasi"
    )
    (result,) = evaluate(ruleset, [employee])
    assert result["aspects"]["hasil_kerja"]["level"] == "sesuai_ekspektasi"
    assert result["aspects"]["hasil_kerja"]["utama"]["count"]["di_bawah_ekspektasi"] == 1


def test_exercise_cases_from_the_domain_notes(ruleset: CompiledRuleset):
    cases = [
        ("di_atas_ekspektasi", "di_atas_ekspektasi", "sangat_baik"),
        ("sesuai_ekspektasi", "sesuai_ekspektasi", "baik"),
        ("di_bawah_ekspektasi", "di_bawah_ekspektasi", "sangat_kurang"),
    ]
    employees = [rated([(h, True)], p) for h, p, _ in cases]
    assert [r["predicate"] for r in evaluate(ruleset, employees)] == [c[2] for c in cases]


def test_angka_kredit_worked_examples(ruleset: CompiledRuleset):
    """§12.5: an ahli pertama, Sangat Baik over 2023 (18.75), then Baik for January and
    February 2024 (2/12 x 100% x 12.5 = 2.08); together 20.83. A guru madya at Baik: 37.5."""
    sangat_baik, baik, madya = evaluate(
        ruleset,
        [
            rated([("di_atas_ekspektasi", True)], "di_atas_ekspektasi"),
            rated(
                [("sesuai_ekspektasi", True)],
                "sesuai_ekspektasi",
                period={"kind": "bulanan", "months": 2},
            ),
            rated(
                [("sesuai_ekspektasi", True)],
                "sesuai_ekspektasi",
                employee={"jabatan": "fungsional", "jenjang": "ahli_madya"},
            ),
        ],
    )
    assert sangat_baik["consequences"]["angka_kredit"] == 18.75
    assert baik["consequences"]["angka_kredit"] == 2.08
    assert round(sangat_baik["consequences"]["angka_kredit"] + 2.08, 2) == 20.83
    assert madya["consequences"]["angka_kredit"] == 37.5


def test_too_few_ratings_give_a_clear_status_not_a_guess(ruleset: CompiledRuleset):
    employee = rated([("di_atas_ekspektasi", True)], "di_atas_ekspektasi")
    employee["ratings"] = [r for r in employee["ratings"] if r.get("indicator") != "LOYAL"]
    (result,) = evaluate(ruleset, [employee])
    assert result["status"] == "belum_lengkap"
    assert "perilaku_kerja baru 6 dari minimal 7" in result["message"]
    assert result["predicate"] is None
    assert result["awards"] == [] and result["consequences"] == {}


def test_unit_head_follows_the_organisation_result(ruleset: CompiledRuleset):
    employee = rated(
        [("di_bawah_ekspektasi", True)],
        "sesuai_ekspektasi",
        employee={"is_unit_head": True},
        unit={"predicate": "istimewa"},
    )
    (result,) = evaluate(ruleset, [employee])
    assert result["aspects"]["hasil_kerja"]["level"] == "di_atas_ekspektasi"
    assert result["fired"][0] == "pimpinan-unit-istimewa"


@pytest.mark.parametrize(
    ("organisation", "level", "predikat"),
    [
        ("istimewa", "di_atas_ekspektasi", "sangat_baik"),
        ("baik", "sesuai_ekspektasi", "baik"),
        ("kurang", "di_bawah_ekspektasi", "butuh_perbaikan"),
    ],
)
def test_unit_head_without_rhk_ratings_takes_the_organisation_result(
    ruleset: CompiledRuleset, organisation: str, level: str, predikat: str
):
    """SE MenPANRB 3/2023: the leader's hasil kerja is the unit's result, RHK rated or not."""
    employee = rated(
        [], "di_atas_ekspektasi", employee={"is_unit_head": True}, unit={"predicate": organisation}
    )
    (result,) = evaluate(ruleset, [employee])
    assert result["status"] == "lengkap"
    assert result["aspects"]["hasil_kerja"]["total"] == 0
    assert result["aspects"]["hasil_kerja"]["level"] == level
    assert result["predicate"] == predikat
    leader = result["explanation"][0]
    assert (leader["stage"], leader["key"], leader["outcome"]) == ("levels", "hasil_kerja", level)


def test_without_rhk_ratings_others_stay_incomplete(ruleset: CompiledRuleset):
    for extra in (
        {"employee": {"is_unit_head": False}, "unit": {"predicate": "istimewa"}},
        {"employee": {"is_unit_head": True}},  # the unit's result is not set yet
    ):
        (result,) = evaluate(ruleset, [rated([], "di_atas_ekspektasi", **extra)])
        assert result["status"] == "belum_lengkap"
        assert result["aspects"]["hasil_kerja"]["level"] is None


def test_rater_weights_combine_within_and_across_kinds_of_the_local_aspect(
    ruleset: CompiledRuleset,
):
    """kinerja_lokal: supervisor 70 / peer 20, self weighs 0 and is reported as input."""
    employee = rated([("sesuai_ekspektasi", True)], "sesuai_ekspektasi")
    employee["ratings"] += [
        {"indicator": "KUALITAS_KERJA", "rater": "supervisor", "value": 4},
        {"indicator": "KUALITAS_KERJA", "rater": "peer", "value": 2},
        {"indicator": "KUALITAS_KERJA", "rater": "peer", "value": 3},
        {"indicator": "KUALITAS_KERJA", "rater": "self", "value": 1},
    ]
    (result,) = evaluate(ruleset, [employee])
    assert result["indicators"]["KUALITAS_KERJA"] == round((70 * 4 + 20 * 2.5) / 90, 4)
    assert result["aspects"]["kinerja_lokal"]["input"] == {"self": {"KUALITAS_KERJA": [1.0, 1]}}


def test_awards_and_training_every_matching_rule_fires(ruleset: CompiledRuleset):
    values = ["di_bawah_ekspektasi", "di_bawah_ekspektasi"] + ["sesuai_ekspektasi"] * 5
    employee = rated([("sesuai_ekspektasi", True)], values, history={"baik_years": 1})
    (result,) = evaluate(ruleset, [employee])
    assert result["predicate"] == "baik"
    assert result["training"] == [
        "Pelatihan Pelayanan Publik",
        "Pelatihan Integritas dan Akuntabilitas",
    ]
    assert result["awards"] == ["Memenuhi syarat predikat untuk kenaikan pangkat"]
    for entry in result["explanation"]:
        assert set(entry) == {"rule", "stage", "key", "inputs", "condition", "outcome", "text"}
    names = [e["rule"] for e in result["explanation"]]
    assert names == result["fired"]


def test_bad_input_withholds_the_predikat_and_names_each_problem(ruleset: CompiledRuleset):
    employee = rated(
        [("sesuai_ekspektasi", True)], "sesuai_ekspektasi", history={"baik_years": "dua"}
    )
    employee["ratings"].append({"indicator": "TIDAK_ADA", "rater": "supervisor", "value": 3})
    employee["ratings"].append({"indicator": "DISIPLIN", "rater": "supervisor", "value": 9})
    (result,) = evaluate(ruleset, [employee])
    assert result["status"] == "tidak_valid"
    assert result["predicate"] is None and result["consequences"] == {}
    assert len(result["issues"]) == 3
    assert any("'TIDAK_ADA' tidak ada di aturan" in issue for issue in result["issues"])
    assert any("nilai '9' di luar skala 'bintang'" in issue for issue in result["issues"])
    assert any("history.baik_years" in issue for issue in result["issues"])


def test_distribution_worked_cases(ruleset: CompiledRuleset):
    """§12.4, N = 10 per unit."""
    from app.engine import check_distribution

    def unit(org: str, **counts: int) -> dict:
        return {"unit": org, "predicate": org, "counts": counts}

    cases = [
        (unit("baik", baik=7, sangat_baik=1, butuh_perbaikan=1, kurang=1), True),
        (unit("baik", baik=10), False),
        (unit("baik", baik=8, butuh_perbaikan=2), False),
        (unit("istimewa", sangat_baik=8, baik=2), False),
        (unit("butuh_perbaikan", butuh_perbaikan=5, baik=5), False),
        (unit("butuh_perbaikan", butuh_perbaikan=6, sangat_baik=2, baik=2), False),
        (unit("butuh_perbaikan", butuh_perbaikan=6, sangat_baik=1, baik=3), True),
        (unit("kurang", kurang=6, butuh_perbaikan=1, baik=3), True),
        (unit("kurang", kurang=6, baik=4), False),
        (unit("sangat_kurang", sangat_kurang=6, sangat_baik=1, kurang=3), False),
        (unit("sangat_kurang", sangat_kurang=6, kurang=1, baik=3), True),
        (unit("sangat_kurang", sangat_kurang=7, baik=3), False),
    ]
    reports = check_distribution(ruleset, [u for u, _ in cases])
    assert [r["ok"] for r in reports] == [ok for _, ok in cases]
    assert all(f["severity"] == "warning" for r in reports for f in r["findings"])
    assert reports[1]["total"] == 10 and len(reports[1]["findings"]) == 2


def test_distribution_from_employee_lists(ruleset: CompiledRuleset):
    from app.engine import check_distribution

    employees = [
        {"nip": str(i), "predicate": p}
        for i, p in enumerate(["baik"] * 7 + ["sangat_baik", "butuh_perbaikan", "kurang"])
    ]
    (report,) = check_distribution(
        ruleset, [{"unit": "BKA", "predicate": "baik", "employees": employees}]
    )
    assert report["ok"] and report["counts"]["baik"] == 7


def test_all_nine_cells_are_distinct_rules(ruleset: CompiledRuleset):
    names = [r.name for r in ruleset.model.predicate]
    assert sorted(names) == sorted(
        f"predikat.{h}.{p}" for h, p in itertools.product(EKSPEKTASI, EKSPEKTASI)
    )


@pytest.mark.parametrize(("status", "eligible"), [("PNS", True), ("PPPK", False), (None, True)])
def test_promotion_eligibility_excludes_pppk(ruleset: CompiledRuleset, status, eligible):
    """PPPK have no pangkat, so they never become eligible for kenaikan pangkat."""
    facts = {"jabatan": "pelaksana"} | ({"status": status} if status else {})
    employee = rated(
        [("sesuai_ekspektasi", True)],
        "sesuai_ekspektasi",
        employee=facts,
        history={"baik_years": 3},
    )
    (result,) = evaluate(ruleset, [employee])
    assert result["predicate"] == "baik"
    promoted = "Memenuhi syarat predikat untuk kenaikan pangkat" in result["awards"]
    assert promoted is eligible
