"""The pejabat penilai decides the national aspects; peers, the public and the self-assessment are
input shown next to the decision, never votes on it (PermenPANRB 6/2022)."""

from __future__ import annotations

import json

import pytest
from synthetic import BERAKHLAK

from app.engine import CompiledRuleset, evaluate, load_indicators, load_ruleset, validate_text
from tests.engine.conftest import DEFAULT_RULES, ROOT

ATAS, SESUAI, BAWAH = "di_atas_ekspektasi", "sesuai_ekspektasi", "di_bawah_ekspektasi"


def ratings_by(kind: str, rhk: str, perilaku: str) -> list[dict]:
    """Three RHK and the seven BerAKHLAK values, all rated by one rater kind."""
    out = [{"rhk": f"RHK-{i}", "utama": True, "rater": kind, "value": rhk} for i in range(1, 4)]
    out += [{"indicator": code, "rater": kind, "value": perilaku} for code in BERAKHLAK]
    return out


@pytest.mark.parametrize("kind", ["peer", "self"])
def test_an_employee_rated_only_by_peers_or_self_gets_no_predikat(
    ruleset: CompiledRuleset, kind: str
):
    (result,) = evaluate(ruleset, [{"nip": "1", "ratings": ratings_by(kind, ATAS, ATAS)}])
    assert result["status"] == "belum_lengkap"
    assert result["predicate"] is None and result["issues"] == []
    hasil = result["aspects"]["hasil_kerja"]
    assert hasil["total"] == 0 and hasil["level"] is None
    rhk = ("RHK-1", "RHK-2", "RHK-3")
    assert hasil["input"] == {kind: dict.fromkeys(rhk, [ATAS, 1])}
    perilaku = result["aspects"]["perilaku_kerja"]["input"][kind]
    assert perilaku == dict.fromkeys(BERAKHLAK, [ATAS, 1])


def test_peers_cannot_turn_the_supervisors_di_atas_into_sesuai(ruleset: CompiledRuleset):
    peers = [
        {"indicator": code, "rater": "peer", "value": BAWAH} for code in BERAKHLAK for _ in (1, 2)
    ]
    peers += [{"rhk": "RHK-1", "utama": True, "rater": "peer", "value": BAWAH}]
    employee = {"nip": "1", "ratings": ratings_by("supervisor", ATAS, ATAS) + peers}
    (result,) = evaluate(ruleset, [employee])
    assert result["predicate"] == "sangat_baik"
    assert all(result["indicators"][code] == ATAS for code in BERAKHLAK)
    peers_said = result["aspects"]["perilaku_kerja"]["input"]["peer"]
    assert peers_said["AKUNTABEL"] == [BAWAH, 2]
    assert result["aspects"]["hasil_kerja"]["input"]["peer"] == {"RHK-1": [BAWAH, 1]}


def test_an_rhk_rated_only_by_the_employee_does_not_count(ruleset: CompiledRuleset):
    ratings = ratings_by("supervisor", SESUAI, SESUAI)
    ratings += [{"rhk": "RHK-9", "utama": True, "rater": "self", "value": BAWAH}]
    (result,) = evaluate(ruleset, [{"nip": "1", "ratings": ratings}])
    assert result["aspects"]["hasil_kerja"]["total"] == 3
    assert result["aspects"]["hasil_kerja"]["utama"]["count"][BAWAH] == 0
    assert result["predicate"] == "baik"
    assert result["aspects"]["hasil_kerja"]["input"] == {"self": {"RHK-9": [BAWAH, 1]}}


def test_the_local_aspect_still_weighs_peers_and_the_public(ruleset: CompiledRuleset):
    ratings = ratings_by("supervisor", SESUAI, SESUAI) + [
        {"indicator": "KUALITAS_KERJA", "rater": "supervisor", "value": 5},
        {"indicator": "KUALITAS_KERJA", "rater": "peer", "value": 2},
    ]
    (result,) = evaluate(ruleset, [{"nip": "1", "ratings": ratings}])
    assert result["indicators"]["KUALITAS_KERJA"] == round((70 * 5 + 20 * 2) / 90, 4)
    assert "input" not in result["aspects"]["kinerja_lokal"]


def test_the_catalogue_refuses_a_kind_it_does_not_allow():
    """Loaded with the catalogue's entries, a public rating of AKUNTABEL (catalogue: supervisor,
    peer, self) makes the result not valid; the employee's own DISIPLIN weighs 0: silent."""
    catalogue = load_indicators(ROOT / "rules" / "indicators.yaml")
    strict = load_ruleset(DEFAULT_RULES, indicators=catalogue)
    ratings = ratings_by("supervisor", SESUAI, SESUAI)
    silent = ratings + [{"indicator": "DISIPLIN", "rater": "self", "value": 5}]
    refused = ratings + [{"indicator": "AKUNTABEL", "rater": "public", "value": ATAS}]
    quiet, loud = evaluate(
        strict, [{"nip": "1", "ratings": silent}, {"nip": "2", "ratings": refused}]
    )
    assert quiet["status"] == "lengkap" and quiet["issues"] == []
    assert "input" not in quiet["aspects"]["kinerja_lokal"]
    assert loud["status"] == "tidak_valid" and loud["predicate"] is None
    assert loud["issues"] == [
        "Penilaian ke-11: masyarakat tidak boleh menilai indikator 'AKUNTABEL' (katalog indikator)."
    ]
    assert evaluate(strict, [{"nip": "2", "ratings": refused}], cache=False) == [loud]


def test_an_aspect_may_not_be_decided_by_a_kind_the_catalogue_forbids(default_text: str):
    """With the catalogue's entries, the public (positive weight) may not be named to decide
    the BerAKHLAK values, none of which it may rate; peers may. Codes alone check codes only."""
    catalogue = load_indicators(ROOT / "rules" / "indicators.yaml")
    behaviour = "    raters: [supervisor]\n    indicators:\n"
    public = default_text.replace(behaviour, "    raters: [supervisor, public]\n    indicators:\n")
    peers = default_text.replace(behaviour, "    raters: [supervisor, peer]\n    indicators:\n")
    assert public != default_text and peers != default_text
    (issue,) = validate_text(public, catalogue)
    line = public.splitlines()[issue.line - 1]
    assert line[issue.col - 1 :] == "public]"
    assert issue.message.startswith(
        "Jenis penilai 'public' tidak diizinkan katalog indikator menilai indikator aspek "
        "'perilaku_kerja'"
    )
    assert validate_text(peers, catalogue) == []
    assert validate_text(public, [entry["code"] for entry in catalogue]) == []


@pytest.mark.parametrize(
    ("raters", "message"),
    [
        ("[self]", "tidak berbobot positif"),
        ("[atasan]", "tidak dikenal"),
        ("[supervisor, supervisor]", "ganda"),
        ("[]", "tidak boleh kosong"),
        ("supervisor", "harus berupa daftar"),
    ],
)
def test_aspect_raters_are_validated(default_text: str, raters: str, message: str):
    text = default_text.replace(
        "    source: rhk\n    raters: [supervisor]", f"    source: rhk\n    raters: {raters}"
    )
    assert text != default_text
    issues = validate_text(text)
    assert any(message in issue.message for issue in issues), issues


def test_a_result_with_input_survives_json_unchanged(ruleset: CompiledRuleset):
    """Stored results are JSON: what comes back must equal what the engine gave."""
    ratings = ratings_by("supervisor", SESUAI, SESUAI) + ratings_by("peer", ATAS, BAWAH)
    (result,) = evaluate(ruleset, [{"nip": "1", "ratings": ratings}])
    assert result["aspects"]["perilaku_kerja"]["input"]
    assert json.loads(json.dumps(result)) == result


def test_bulk_runs_leave_the_input_out_and_decide_alike(ruleset: CompiledRuleset):
    ratings = ratings_by("supervisor", SESUAI, SESUAI) + ratings_by("peer", ATAS, BAWAH)
    employee = {"nip": "1", "ratings": ratings}
    (full,) = evaluate(ruleset, [employee])
    (bulk,) = evaluate(ruleset, [employee], explain=False)
    assert "input" not in bulk["aspects"]["perilaku_kerja"]
    assert evaluate(ruleset, [employee], explain=False, cache=False) == [bulk]
    del full["aspects"]["perilaku_kerja"]["input"], full["aspects"]["hasil_kerja"]["input"]
    assert {**full, "explanation": []} == bulk
