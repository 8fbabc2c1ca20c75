"""The regulation's terms the app uses, each with a short definition and its legal source.

One list, so the glossary page, the help panels and the "Cara penilaian kinerja" page link to
the same anchors (`/glosarium/#<key>`) and a term is defined once. Sources are the regulations
the rules follow (docs/rules.md); definitions are short paraphrases, not quotations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PERMEN_6_2022 = "PermenPANRB No. 6 Tahun 2022 tentang Pengelolaan Kinerja Pegawai ASN"
SE_3_2023 = "SE MenPANRB No. 3 Tahun 2023 tentang Tata Cara Penetapan Predikat Kinerja Pegawai ASN"
PP_30_2019 = "PP No. 30 Tahun 2019 tentang Penilaian Kinerja PNS"
BKN_3_2023 = (
    "Peraturan BKN No. 3 Tahun 2023 tentang Angka Kredit, Kenaikan Pangkat, dan Jenjang "
    "Jabatan Fungsional"
)
PERMEN_1_2023 = "PermenPANRB No. 1 Tahun 2023 tentang Jabatan Fungsional"
UU_20_2023 = "UU No. 20 Tahun 2023 tentang Aparatur Sipil Negara"
PP_12_2019 = "PP No. 12 Tahun 2019 Pasal 58; Pergub Aceh No. 15 Tahun 2024 tentang TPP"
QANUN_13_2016 = "Qanun Aceh No. 13 Tahun 2016 tentang Pembentukan dan Susunan Perangkat Aceh"


@dataclass(frozen=True)
class Term:
    key: str  # the page anchor
    term: str
    definition: str
    source: str


TERMS: tuple[Term, ...] = (
    Term(
        "asn",
        "ASN (Aparatur Sipil Negara)",
        "Pegawai negeri sipil (PNS) dan pegawai pemerintah dengan perjanjian kerja (PPPK).",
        UU_20_2023,
    ),
    Term(
        "pppk",
        "PPPK",
        "Pegawai Pemerintah dengan Perjanjian Kerja: ASN yang diangkat berdasarkan perjanjian "
        "kerja. Kinerjanya dinilai dengan cara yang sama, tetapi tidak naik pangkat.",
        UU_20_2023,
    ),
    Term(
        "skp",
        "SKP (Sasaran Kinerja Pegawai)",
        "Rencana kinerja tahunan atau periodik seorang pegawai: rencana hasil kerja dan "
        "perilaku kerja yang diharapkan, disepakati dengan pejabat penilai.",
        PERMEN_6_2022,
    ),
    Term(
        "rhk",
        "RHK (Rencana Hasil Kerja)",
        "Hasil kerja yang direncanakan dalam SKP, dibagi menjadi RHK utama dan RHK tambahan; "
        "setiap RHK punya indikator kinerja individu dan target.",
        PERMEN_6_2022,
    ),
    Term(
        "iki",
        "IKI (Indikator Kinerja Individu)",
        "Ukuran keberhasilan sebuah RHK, ditulis terpisah dari targetnya.",
        PERMEN_6_2022,
    ),
    Term(
        "realisasi",
        "Realisasi dan bukti dukung",
        "Apa yang benar-benar dicapai untuk sebuah RHK, dicatat bersama bukti dukungnya "
        "(pendokumentasian kinerja).",
        PERMEN_6_2022,
    ),
    Term(
        "umpan-balik",
        "Umpan balik berkelanjutan",
        "Tanggapan pejabat penilai atas realisasi dan perilaku pegawai sepanjang periode, "
        "berdasarkan bukti dukung.",
        PERMEN_6_2022,
    ),
    Term(
        "berakhlak",
        "BerAKHLAK",
        "Tujuh nilai dasar ASN yang menjadi perilaku kerja: Berorientasi Pelayanan, Akuntabel, "
        "Kompeten, Harmonis, Loyal, Adaptif, Kolaboratif.",
        f"{UU_20_2023}; {PERMEN_6_2022}",
    ),
    Term(
        "ekspektasi",
        "Ekspektasi",
        "Hasil dan perilaku yang diharapkan pimpinan dari pegawai. Hasil kerja dan perilaku "
        "kerja dinilai di atas, sesuai, atau di bawah ekspektasi.",
        PERMEN_6_2022,
    ),
    Term(
        "ekspektasi-khusus",
        "Ekspektasi khusus pimpinan",
        "Harapan pimpinan yang ditulis untuk tiap nilai BerAKHLAK pada SKP seorang pegawai.",
        PERMEN_6_2022,
    ),
    Term(
        "dialog-kinerja",
        "Dialog kinerja",
        "Percakapan pimpinan dan pegawai sepanjang tahun tentang rencana, kemajuan, dan "
        "bimbingan kinerja.",
        PERMEN_6_2022,
    ),
    Term(
        "pejabat-penilai",
        "Pejabat penilai kinerja",
        "Atasan langsung pegawai (paling rendah pejabat pengawas) yang menetapkan SKP dan "
        "menilai kinerjanya.",
        PERMEN_6_2022,
    ),
    Term(
        "atasan-pejabat-penilai",
        "Atasan pejabat penilai kinerja",
        "Atasan langsung dari pejabat penilai; memutus keberatan atas hasil penilaian.",
        f"{PERMEN_6_2022}; {PP_30_2019}",
    ),
    Term(
        "rekan-kerja",
        "Rekan kerja (penilai 360°)",
        "Rekan setingkat yang memberi masukan atas perilaku kerja; pejabat penilai yang "
        "memutuskan.",
        f"{PP_30_2019}; {PERMEN_6_2022}",
    ),
    Term(
        "predikat-kinerja",
        "Predikat kinerja",
        "Hasil akhir penilaian pegawai: Sangat Baik, Baik, Butuh Perbaikan, Kurang/Misconduct, "
        "atau Sangat Kurang, dibaca dari matriks tingkat hasil kerja dan perilaku kerja.",
        PERMEN_6_2022,
    ),
    Term(
        "predikat-organisasi",
        "Predikat kinerja organisasi",
        "Capaian kinerja unit (Istimewa, Baik, Butuh Perbaikan, Kurang, Sangat Kurang) yang "
        "ditetapkan pimpinan satu tingkat di atasnya.",
        SE_3_2023,
    ),
    Term(
        "kurva-distribusi",
        "Kurva (pola) distribusi",
        "Pedoman sebaran predikat pegawai dalam satu unit menurut predikat organisasinya, "
        "misalnya paling banyak 70% Sangat Baik pada unit Istimewa.",
        SE_3_2023,
    ),
    Term(
        "keberatan",
        "Keberatan",
        "Pengajuan pegawai kepada atasan pejabat penilai bila tidak setuju dengan hasil "
        "penilaian, disertai alasan, dalam batas waktu setelah hasil diterima.",
        PP_30_2019,
    ),
    Term(
        "angka-kredit",
        "Angka kredit",
        "Nilai capaian pejabat fungsional untuk kenaikan pangkat dan jenjang: persentase "
        "menurut predikat × koefisien tahunan jenjang.",
        f"{BKN_3_2023}; {PERMEN_1_2023}",
    ),
    Term(
        "jenjang",
        "Jenjang jabatan fungsional",
        "Tingkat jabatan fungsional (Pemula sampai Ahli Utama) yang menentukan koefisien "
        "angka kredit tahunan.",
        f"{PERMEN_1_2023}; {BKN_3_2023}",
    ),
    Term(
        "tpp",
        "TPP (Tambahan Penghasilan Pegawai)",
        "Tunjangan daerah yang dibayar menurut, antara lain, prestasi kerja; besarnya di Aceh "
        "mengikuti komponen dan persentase dalam aturan penilaian.",
        PP_12_2019,
    ),
    Term(
        "skpa",
        "SKPA (Satuan Kerja Perangkat Aceh)",
        "Perangkat daerah Pemerintah Aceh, misalnya dinas atau badan; unit kerja pegawai "
        "berada di bawahnya.",
        QANUN_13_2016,
    ),
)

BY_KEY: dict[str, Term] = {term.key: term for term in TERMS}

# How each term is written in running text (help panels, rule pages): acronyms in capitals and
# matched as written, phrases in any case. The longest phrase wins where several start at one
# place ("atasan pejabat penilai" before "pejabat penilai", "SKPA" is not "SKP").
MENTIONS: dict[str, tuple[str, ...]] = {
    "asn": ("ASN",),
    "pppk": ("PPPK",),
    "skp": ("SKP",),
    "rhk": ("RHK", "rencana hasil kerja"),
    "iki": ("IKI", "indikator kinerja individu"),
    "realisasi": ("realisasi", "bukti dukung"),
    "umpan-balik": ("umpan balik",),
    "berakhlak": ("BerAKHLAK",),
    "ekspektasi": ("ekspektasi",),
    "ekspektasi-khusus": ("ekspektasi khusus",),
    "dialog-kinerja": ("dialog kinerja",),
    "pejabat-penilai": ("pejabat penilai",),
    "atasan-pejabat-penilai": ("atasan pejabat penilai",),
    "rekan-kerja": ("rekan kerja",),
    "predikat-kinerja": ("predikat kinerja", "predikat"),
    "predikat-organisasi": ("predikat kinerja organisasi", "predikat organisasi"),
    "kurva-distribusi": ("kurva distribusi", "pola distribusi"),
    "keberatan": ("keberatan",),
    "angka-kredit": ("angka kredit",),
    "jenjang": ("jenjang",),
    "tpp": ("TPP",),
    "skpa": ("SKPA",),
}


def _pattern() -> re.Pattern[str]:
    phrases = sorted(
        ((phrase, key) for key, written in MENTIONS.items() for phrase in written),
        key=lambda item: -len(item[0]),
    )
    parts = []
    for phrase, _key in phrases:
        body = re.escape(phrase).replace(r"\ ", r"\s+")
        parts.append(body if phrase.isupper() or phrase == "BerAKHLAK" else f"(?i:{body})")
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


_MENTION = _pattern()
_KEY_OF = {
    " ".join(phrase.lower().split()): key for key, written in MENTIONS.items() for phrase in written
}


def mentions(text: str, seen: set[str] | None = None) -> list[tuple[int, int, str]]:
    """Where glossary terms appear in a text: (start, end, term key), first mention of each
    term only (one link per term and text reads better than a page of links); `seen`: terms
    already mentioned earlier, updated."""
    found: list[tuple[int, int, str]] = []
    seen = set() if seen is None else seen
    for match in _MENTION.finditer(text):
        key = _KEY_OF[" ".join(match.group(0).lower().split())]
        if key not in seen:
            seen.add(key)
            found.append((match.start(), match.end(), key))
    return found
