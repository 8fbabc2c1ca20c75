"""Official grade lists: PNS golongan/ruang (I/a–IV/e) and PPPK golongan (I–XVII)."""

from __future__ import annotations

PNS_PANGKAT: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}

PPPK_GOLONGAN: tuple[str, ...] = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)

GOLONGAN_BY_STATUS: dict[str, tuple[str, ...]] = {
    "PNS": tuple(PNS_PANGKAT),
    "PPPK": PPPK_GOLONGAN,
}

ALL_GOLONGAN: tuple[str, ...] = tuple(PNS_PANGKAT) + PPPK_GOLONGAN


def golongan_error(status: str, golongan: str) -> str | None:
    """Why this golongan is wrong for this status, or None when it is right."""
    allowed = GOLONGAN_BY_STATUS.get(status)
    if allowed is None:
        return f"Status kepegawaian '{status}' tidak dikenal (PNS atau PPPK)."
    if golongan not in allowed:
        contoh = "I/a sampai IV/e" if status == "PNS" else "I sampai XVII"
        return f"Golongan '{golongan}' tidak berlaku untuk {status} ({contoh})."
    return None
