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
    "dialog.tambah": "Mencatat dialog kinerja",
    "pegawai.ubah_atasan": "Mengubah atasan langsung pegawai",
    "periode.hapus": "Menghapus periode",
    "realisasi.ubah": "Mengubah realisasi",
    "rekan.batalkan": "Membatalkan penugasan rekan kerja penilai",
    "skp.ekspektasi_khusus": "Menetapkan ekspektasi khusus pimpinan",
    "skp.hapus_rhk": "Menghapus RHK",
    "skp.ubah_rhk": "Mengubah RHK",
    "perubahan": "Mengubah beberapa data",
}

# The operation an entry of the audit listener names when no service named the action.
VERBS: dict[str, str] = {"tambah": "Menambah", "ubah": "Mengubah", "hapus": "Menghapus"}

OBJECTS: dict[str, str] = {
    "appeal": "Keberatan",
    "aspect_level": "Tingkat aspek",
    "dialog_entry": "Catatan dialog kinerja",
    "peer_assignment": "Penugasan rekan kerja",
    "sistem": "Sistem",
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
    subject = object_words(head)
    if verb in VERBS:
        return f"{VERBS[verb]} {subject.lower()}"
    return f"{subject}: {verb.replace('_', ' ')}" if verb else subject


def object_words(code: str | None) -> str:
    """`rating` -> `Penilaian`; a batch of kinds (`rating+evaluation`) names each."""
    if not code:
        return EMPTY
    if "+" in code:
        return ", ".join(object_words(part) for part in code.split("+"))
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


def item_lines(items: list[dict[str, Any]] | None, count: int | None = None) -> list[str]:
    """The other rows one action changed (a rating form's items), one line each:
    `Mengubah penilaian Akuntabel: nilai Sesuai Ekspektasi → Di Atas Ekspektasi`."""
    lines = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        verb = VERBS.get(str(item.get("operation")), "Mengubah")
        what = f"{verb} {object_words(item.get('type')).lower()} {item.get('label') or ''}"
        before, after = item.get("before") or {}, item.get("after") or {}
        changes = []
        for key in dict.fromkeys([*before, *after]):
            if key == "id" or key.endswith("_id") or key == "lock_version":
                continue
            old, new = before.get(key), after.get(key)
            if key in before and key in after:
                changes.append(f"{field_words(key)} {display(old)} → {display(new)}")
            else:
                changes.append(f"{field_words(key)} {display(new if key in after else old)}")
        lines.append(what.strip() + (": " + "; ".join(changes) if changes else ""))
    if count and count > len(lines):
        lines.append(f"… dan {count - len(lines)} baris lainnya")
    return lines
