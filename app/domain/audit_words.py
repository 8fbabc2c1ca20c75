"""The audit trail in words: what was done, to what, and the recorded values, in Indonesian.

Actions are stored as `<object>.<verb>` codes (`nilai.ajukan`); the log screen, its Excel export
and the appeal history read them through these tables. An action without its own words is
written from its parts, so a new code never shows up raw.
"""

from __future__ import annotations

from typing import Any

from app.domain.wording import EMPTY, display

ACTIONS: dict[str, str] = {
    "aspek.tetapkan": "Menetapkan tingkat aspek",
    "aturan.draf": "Membuat draf aturan",
    "aturan.simpan_draf": "Menyimpan draf aturan",
    "aturan.terbit": "Menerbitkan aturan",
    "aturan.kembalikan": "Mengembalikan aturan ke versi sebelumnya",
    "bukti.hapus": "Menghapus bukti dukung",
    "bukti.unggah": "Mengunggah bukti dukung",
    "evaluasi.ubah_karena_keberatan": "Mengubah hasil evaluasi karena keberatan",
    "keberatan.ajukan": "Mengajukan keberatan",
    "keberatan.dikabulkan": "Mengabulkan keberatan",
    "keberatan.ditolak": "Menolak keberatan",
    "nilai.ajukan": "Mengajukan penilaian",
    "nilai.simpan": "Menyimpan penilaian",
    "pegawai.impor": "Mengimpor data pegawai",
    "periode.buka": "Membuka periode",
    "periode.tinjau": "Memulai peninjauan periode",
    "periode.buka_kembali_penilaian": "Membuka kembali penilaian periode",
    "periode.tutup": "Menutup periode",
    "periode.buka_kembali": "Membuka kembali periode yang ditutup",
    "periode.ganti_aturan": "Mengganti versi aturan periode",
    "realisasi.catat": "Mencatat realisasi",
    "realisasi.umpan_balik": "Memberi umpan balik realisasi",
    "rekan.tetapkan": "Menetapkan rekan kerja penilai",
    "skp.ajukan": "Mengajukan SKP",
    "skp.kembalikan": "Mengembalikan SKP",
    "skp.setujui": "Menyetujui SKP",
    "skp.tambah_rhk": "Menambah RHK",
    "unit.predikat": "Menetapkan predikat unit",
    "create": "Menambah data",
    "insert": "Menambah data",
    "update": "Mengubah data",
    "delete": "Menghapus data",
}

OBJECTS: dict[str, str] = {
    "appeal": "Keberatan",
    "employee": "Pegawai",
    "evaluation": "Hasil evaluasi",
    "evidence": "Bukti dukung",
    "indicator": "Indikator",
    "period": "Periode",
    "position": "Jabatan",
    "rating": "Penilaian",
    "rating_draft": "Draf penilaian",
    "realisation": "Realisasi",
    "rhk": "RHK",
    "ruleset_version": "Versi aturan",
    "skp": "SKP",
    "unit": "Unit kerja",
    "unit_result": "Predikat unit",
    "user": "Akun pengguna",
}

FIELDS: dict[str, str] = {
    "state": "status",
    "value": "nilai",
    "value_level": "nilai",
    "value_number": "nilai",
    "comment": "komentar",
    "predicate": "predikat",
    "override_predicate": "predikat setelah keberatan",
    "reason": "alasan",
    "rater_kind": "jenis penilai",
    "indicator": "indikator",
    "rhk": "RHK",
    "name": "nama",
    "number": "nomor",
    "status": "status",
    "note": "catatan",
    "text": "uraian",
    "level": "tingkat",
    "levels": "tingkat",
    "ruleset_version": "versi aturan",
    "items": "butir",
    "count": "jumlah",
}


def action_words(code: str | None) -> str:
    """`nilai.ajukan` -> `Mengajukan penilaian`; an unknown `x.y` -> `<object x>: y`."""
    if not code:
        return EMPTY
    if code in ACTIONS:
        return ACTIONS[code]
    head, _, verb = code.partition(".")
    subject = OBJECTS.get(head, head.replace("_", " ").capitalize())
    return f"{subject}: {verb.replace('_', ' ')}" if verb else subject


def object_words(code: str | None) -> str:
    if not code:
        return EMPTY
    return OBJECTS.get(code, code.replace("_", " ").capitalize())


def field_words(name: str) -> str:
    return FIELDS.get(name, name.replace("_", " "))


def value_lines(values: dict[str, Any] | None) -> list[tuple[str, str]]:
    """A recorded snapshot as (field, value) lines a person reads; internal keys (ids, lock
    versions) are left out, nested lists become one line per item."""
    if not values:
        return []
    lines: list[tuple[str, str]] = []
    for key, value in values.items():
        if key == "id" or key.endswith("_id") or key == "lock_version":
            continue
        if isinstance(value, list):
            for index, item in enumerate(value, start=1):
                if isinstance(item, dict):
                    text = "; ".join(f"{field_words(k)}: {display(v)}" for k, v in _plain(item))
                else:
                    text = display(item)
                lines.append((f"{field_words(key)} {index}", text))
        elif isinstance(value, dict):
            text = "; ".join(f"{field_words(k)}: {display(v)}" for k, v in _plain(value))
            lines.append((field_words(key), text or EMPTY))
        else:
            lines.append((field_words(key), display(value)))
    return lines


def _plain(values: dict[str, Any]) -> list[tuple[str, Any]]:
    return [
        (k, v)
        for k, v in values.items()
        if not (k == "id" or k.endswith("_id") or k == "lock_version")
        and not isinstance(v, dict | list)
    ]
