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
    """§12.5: AK = percent x coefficient (x months/12 for a period)."""
    sangat_baik, baik = evaluate(
        ruleset,
        [
            rated([("di_atas_ekspektasi", True)], "di_atas_ekspektasi"),
            rated([("sesuai_ekspektasi", True)], "sesuai_ekspektasi"),
        ],
    )
    annual = sangat_baik["consequences"]["angka_kredit_percent"] / 100 * 12.5
    periodic = 2 / 12 * baik["consequences"]["angka_kredit_percent"] / 100 * 12.5
    assert annual == pytest.approx(18.75)
    assert round(periodic, 2) == 2.08
    assert round(annual + periodic, 2) == 20.83
    assert baik["consequences"]["angka_kredit_percent"] / 100 * 37.5 == 37.5


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


def test_rater_weights_combine_within_and_across_kinds(ruleset: CompiledRuleset):
    """supervisor 70 / peer 20: sesuai (2) and peers di_atas (3) + di_bawah (1) -> 2 -> sesuai."""
    employee = rated([("sesuai_ekspektasi", True)], "sesuai_ekspektasi")
    employee["ratings"] += [
        {"indicator": "AKUNTABEL", "rater": "peer", "value": "di_atas_ekspektasi"},
        {"indicator": "AKUNTABEL", "rater": "peer", "value": "di_bawah_ekspektasi"},
        {"indicator": "KUALITAS_KERJA", "rater": "supervisor", "value": 4},
        {"indicator": "KUALITAS_KERJA", "rater": "peer", "value": 2},
        {"indicator": "KUALITAS_KERJA", "rater": "self", "value": 1},
    ]
    (result,) = evaluate(ruleset, [employee])
    assert result["indicators"]["AKUNTABEL"] == "sesuai_ekspektasi"
    assert result["indicators"]["KUALITAS_KERJA"] == round((70 * 4 + 20 * 2) / 90, 4)


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


def test_bad_input_is_reported_and_ignored(ruleset: CompiledRuleset):
    employee = rated(
        [("sesuai_ekspektasi", True)], "sesuai_ekspektasi", history={"baik_years": "dua"}
    )
    employee["ratings"].append({"indicator": "TIDAK_ADA", "rater": "supervisor", "value": 3})
    employee["ratings"].append({"indicator": "DISIPLIN", "rater": "supervisor", "value": 9})
    (result,) = evaluate(ruleset, [employee])
    assert len(result["issues"]) == 3
    assert result["status"] == "lengkap"


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
