"""The explanation renderer (`app.domain.explanations`) writes every stage and every condition
operator of the rule language as an Indonesian sentence: results of the real engine on a ruleset
that uses them all, read back word for word. A stage, an operator or a fact the engine gains
without wording here fails these tests."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.domain.explanations import fact_name, sentence, sentences
from app.engine import evaluate, load_ruleset
from app.engine.compiler import compile_ruleset
from app.engine.conditions import OPERATORS

RULESET = """\
name: penjelasan-uji
scales:
  ekspektasi: [di_bawah_ekspektasi, sesuai_ekspektasi, di_atas_ekspektasi]
  bintang: {min: 1, max: 5, levels: [perlu_pembinaan, cukup, baik, sangat_baik]}
raters: {supervisor: 70, peer: 30}
aspects:
  hasil_kerja: {scale: ekspektasi, source: rhk, raters: [supervisor]}
  perilaku_kerja: {scale: ekspektasi, indicators: [AKUNTABEL, KOMPETEN], raters: [supervisor]}
  kinerja_lokal: {scale: bintang, indicators: {DISIPLIN: 60, ADAPTASI: 40}}
levels:
  hasil_kerja:
    - name: hasil-di-atas
      level: di_atas_ekspektasi
      when: {all: [{share.di_atas_ekspektasi: {gt: 0.5}}, {utama.count.di_bawah_ekspektasi: 0}]}
    - name: hasil-di-bawah
      level: di_bawah_ekspektasi
      when: {share.di_bawah_ekspektasi: {gte: 0.5}}
    - name: hasil-sesuai
      level: sesuai_ekspektasi
  perilaku_kerja:
    - name: perilaku-di-atas
      level: di_atas_ekspektasi
      when: {indicator.AKUNTABEL: di_atas_ekspektasi, count.di_bawah_ekspektasi: {lte: 0}}
    - name: perilaku-sesuai
      level: sesuai_ekspektasi
  kinerja_lokal:
    - name: lokal-baik
      level: baik
      when: {score: {gte: 3.5}}
    - name: lokal-cukup
      level: cukup
      when: {score: {lt: 3.5}}
    - name: lokal-belum-dinilai
      level: perlu_pembinaan
predicate:
  di_atas_ekspektasi: {di_atas_ekspektasi: sangat_baik, sesuai_ekspektasi: baik,
                       di_bawah_ekspektasi: kurang}
  sesuai_ekspektasi: {di_atas_ekspektasi: baik, sesuai_ekspektasi: baik,
                      di_bawah_ekspektasi: kurang}
  di_bawah_ekspektasi: {di_atas_ekspektasi: butuh_perbaikan, sesuai_ekspektasi: butuh_perbaikan,
                        di_bawah_ekspektasi: sangat_kurang}
awards:
  - name: teladan
    when: {predicate: {in: [sangat_baik, baik]}, history.sangat_baik_streak: {gte: 2},
           not: {employee.status: {ne: PNS}}}
    award: Pegawai Teladan
  - name: apresiasi
    when: {any: [{employee.jabatan: {not_in: [pelaksana, fungsional]}},
                 {raters.peer.count: {gt: 2}}]}
    award: Apresiasi Pimpinan
training:
  - name: disiplin
    when: {indicator.DISIPLIN: {lt: 2.5}}
    recommend: Pembinaan Disiplin
  - name: kompeten
    when: {indicator.KOMPETEN: {ne: di_atas_ekspektasi}, kinerja_lokal.score: {lte: 3}}
    recommend: Pengembangan Kompetensi
consequences:
  angka_kredit_percent: {sangat_baik: 150, baik: 100, butuh_perbaikan: 75, kurang: 50,
                         sangat_kurang: 25}
  allowance:
    components: {kinerja: 60, disiplin: 40}
    kinerja_percent: {sangat_baik: 100, baik: 100, butuh_perbaikan: 80, kurang: 60,
                      sangat_kurang: 40}
    disiplin_percent:
      - {name: tpp-disiplin-penuh, when: {indicator.DISIPLIN: {gte: 4.5}}, percent: 100}
      - {name: tpp-disiplin-rendah, when: {indicator.DISIPLIN: {gte: 1}}, percent: 50}
      - {name: tpp-disiplin-belum-dinilai, percent: 100}
"""
NAMES = {
    "AKUNTABEL": "Akuntabel",
    "KOMPETEN": "Kompeten",
    "DISIPLIN": "Disiplin",
    "ADAPTASI": "Adaptasi",
}
STAGES = ("levels", "predicate", "awards", "training", "allowance")


def _rated(item: dict[str, Any], value: Any) -> dict[str, Any]:
    return {**item, "rater": "supervisor", "value": value}


STAFF = {
    "nip": "199001012015031001",
    "employee": {"jabatan": "pelaksana", "status": "PNS", "golongan": "III/a"},
    "history": {"sangat_baik_streak": 2},
    "ratings": [
        _rated({"rhk": "RHK-1", "utama": True}, "di_atas_ekspektasi"),
        _rated({"rhk": "RHK-2", "utama": True}, "di_atas_ekspektasi"),
        _rated({"rhk": "RHK-3", "utama": False}, "sesuai_ekspektasi"),
        _rated({"indicator": "AKUNTABEL"}, "di_atas_ekspektasi"),
        _rated({"indicator": "KOMPETEN"}, "sesuai_ekspektasi"),
        _rated({"indicator": "DISIPLIN"}, 2),
        _rated({"indicator": "ADAPTASI"}, 4),
    ],
}
# A head of section whose supervisor set the hasil kerja level against the rules' proposal.
HEAD = {
    "nip": "198001012005011002",
    "employee": {"jabatan": "administrator", "status": "PNS", "golongan": "IV/a"},
    "levels": {"hasil_kerja": "sesuai_ekspektasi"},
    "ratings": [
        _rated({"rhk": "RHK-1", "utama": True}, "di_atas_ekspektasi"),
        _rated({"rhk": "RHK-2", "utama": True}, "di_atas_ekspektasi"),
        _rated({"indicator": "AKUNTABEL"}, "sesuai_ekspektasi"),
        _rated({"indicator": "KOMPETEN"}, "di_atas_ekspektasi"),
        _rated({"indicator": "DISIPLIN"}, 5),
        _rated({"indicator": "ADAPTASI"}, 4),
    ],
}

STAFF_SAYS = [
    "2 dari 3 RHK di atas ekspektasi (syarat: lebih dari 50%) dan tidak ada RHK utama di bawah "
    "ekspektasi → hasil kerja Di Atas Ekspektasi",
    "Nilai Akuntabel Di Atas Ekspektasi dan tidak ada butir perilaku kerja di bawah ekspektasi "
    "(syarat: paling banyak 0) → perilaku kerja Di Atas Ekspektasi",
    "Skor kinerja lokal (Aceh) 2,8 (syarat: kurang dari 3,5) → kinerja lokal (Aceh) Cukup",
    "Hasil kerja Di Atas Ekspektasi dan perilaku kerja Di Atas Ekspektasi → predikat kinerja "
    "Sangat Baik",
    "Predikat Sangat Baik (syarat: salah satu dari Sangat Baik, Baik) dan predikat Sangat Baik "
    "berturut-turut 2 periode (syarat: paling sedikit 2) dan bukan keadaan ini: status "
    "kepegawaian PNS (syarat: selain PNS) → penghargaan: Pegawai Teladan",
    "Nilai Disiplin 2 (syarat: kurang dari 2,5) → rekomendasi pelatihan: Pembinaan Disiplin",
    "Nilai Kompeten Sesuai Ekspektasi (syarat: selain Di Atas Ekspektasi) dan skor kinerja lokal "
    "(Aceh) 2,8 (syarat: paling banyak 3) → rekomendasi pelatihan: Pengembangan Kompetensi",
    "Nilai Disiplin 2 (syarat: paling sedikit 1) → komponen TPP disiplin 50%",
]
HEAD_SAYS = [
    "2 dari 2 RHK di atas ekspektasi (syarat: lebih dari 50%) dan tidak ada RHK utama di bawah "
    "ekspektasi → hasil kerja Di Atas Ekspektasi",
    "Pejabat penilai menetapkan hasil kerja Sesuai Ekspektasi (usulan aturan: Di Atas Ekspektasi).",
    "Syarat tingkat di atasnya tidak terpenuhi → perilaku kerja Sesuai Ekspektasi",
    "Skor kinerja lokal (Aceh) 4,6 (syarat: paling sedikit 3,5) → kinerja lokal (Aceh) Baik",
    "Hasil kerja Sesuai Ekspektasi dan perilaku kerja Sesuai Ekspektasi → predikat kinerja Baik",
    "Jenis jabatan Administrator (syarat: bukan salah satu dari Pelaksana, Fungsional) atau 0 "
    "penilai rekan kerja (syarat: lebih dari 2) → penghargaan: Apresiasi Pimpinan",
    "Nilai Disiplin 5 (syarat: paling sedikit 4,5) → komponen TPP disiplin 100%",
]


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(RULESET)


@pytest.fixture(scope="module")
def results(ruleset):
    return evaluate(ruleset, [STAFF, HEAD])


def test_every_stage_of_a_result_reads_as_indonesian_sentences(results):
    staff, head = results
    assert sentences(staff, NAMES) == STAFF_SAYS
    assert sentences(head, NAMES) == HEAD_SAYS


def test_the_sentences_cover_every_stage_the_engine_compiles(ruleset, results):
    compiled = {stage.kind for stage in compile_ruleset(ruleset.model)}
    explained = {entry["stage"] for result in results for entry in result["explanation"]}
    assert compiled == explained == set(STAGES)


def test_every_operator_of_the_rule_language_has_its_words(ruleset):
    """The operators used above, and each one alone: a new operator without words fails."""
    words = {
        "eq": ("Nilai Disiplin 2 → ", None),
        "ne": ("Nilai Disiplin 2 (syarat: selain 3) → ", 3),
        "gt": ("Nilai Disiplin 2 (syarat: lebih dari 1,5) → ", 1.5),
        "gte": ("Nilai Disiplin 2 (syarat: paling sedikit 2) → ", 2),
        "lt": ("Nilai Disiplin 2 (syarat: kurang dari 2,5) → ", 2.5),
        "lte": ("Nilai Disiplin 2 (syarat: paling banyak 2) → ", 2),
        "in": ("Nilai Disiplin 2 (syarat: salah satu dari 1, 2) → ", [1, 2]),
        "not_in": ("Nilai Disiplin 2 (syarat: bukan salah satu dari 4, 5) → ", [4, 5]),
    }
    assert set(words) == set(OPERATORS)
    for op, (says, value) in words.items():
        entry = {
            "rule": "uji",
            "stage": "training",
            "key": "",
            "condition": {
                "fact": "indicator.DISIPLIN",
                "op": op,
                "value": 2 if value is None else value,
            },
            "inputs": {"indicator.DISIPLIN": 2},
            "outcome": "Pembinaan",
        }
        assert sentence(entry, None, NAMES) == says + "rekomendasi pelatihan: Pembinaan", op
    used = set(re.findall(r"\b(eq|ne|gt|gte|lt|lte|in|not_in)\b", RULESET))
    assert used | {"eq"} == set(OPERATORS)  # the ruleset above uses each (eq as a plain value)


def _sample(kind: str, values: tuple[Any, ...]) -> Any:
    if values:
        return values[-1]
    return {"number": 2, "bool": True, "text": "III/a"}.get(kind, "x")


def test_every_fact_the_ruleset_can_read_is_written_in_words(ruleset):
    """No fact path (`hasil_kerja.utama.count.…`) and no code (`di_atas_ekspektasi`) is left in
    a sentence, whatever fact a condition reads."""
    machine = re.compile(r"\b\w+\.\w+|\b[a-z]+_[a-z_]+\b")
    for path, ftype in ruleset.model.fact_types.items():
        value = _sample(ftype.kind, ftype.levels)
        entry = {
            "rule": "uji",
            "stage": "awards",
            "key": "",
            "condition": {"fact": path, "op": "eq", "value": value},
            "inputs": {path: value},
            "outcome": "Penghargaan Uji",
        }
        said = sentence(entry, None, NAMES)
        assert not machine.search(said), (path, said)
        assert not machine.search(fact_name(path, NAMES)), (path, fact_name(path, NAMES))
