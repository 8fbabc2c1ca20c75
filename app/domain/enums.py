"""The closed vocabularies of the domain, in the regulation's own words.

Each tuple is the single source for a database check constraint, a form choice list, a validator
and the rules engine's input vocabulary (the engine imports this module: plain data, no app
code), so they can never disagree.

The states and kinds that code branches on are also `StrEnum`s, so a comparison names a member
(`period.state == PeriodState.CLOSED`) and a misspelt one fails at import rather than comparing
false for ever. Their values are the strings stored in the database and shown in the API and the
YAML; a member equals its string, so stored rows and plain strings compare as before. The tuples
are derived from the enums and hold the plain values (not the members): the engine's fast path
checks `value.__class__ is str`, and YAML's safe dumper refuses a str subclass.
"""

from __future__ import annotations

from enum import StrEnum


class PeriodState(StrEnum):
    """An appraisal period's life: prepared, open for rating, under review, closed."""

    DRAFT = "draft"
    OPEN = "open"
    REVIEW = "review"
    CLOSED = "closed"


class SkpState(StrEnum):
    """An SKP's approval: written, sent to the pejabat penilai, approved or returned to redo."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    RETURNED = "returned"


class RatingState(StrEnum):
    """A rating: saved by the rater (draft) or submitted, when it starts to count."""

    DRAFT = "draft"
    SUBMITTED = "submitted"


class RulesetStatus(StrEnum):
    """A ruleset version: editable draft, published (in force), or archived by a newer one."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class RaterKind(StrEnum):
    """Who gives a rating: the pejabat penilai, a colleague, the employee, the public."""

    SUPERVISOR = "supervisor"
    PEER = "peer"
    SELF = "self"
    PUBLIC = "public"


class EvaluationStatus(StrEnum):
    """An engine result: decided, not yet rated enough to decide, or decided on wrong input."""

    COMPLETE = "lengkap"
    INCOMPLETE = "belum_lengkap"
    INVALID = "tidak_valid"


class AppealState(StrEnum):
    """An appeal (keberatan) against a predikat: lodged, granted or refused."""

    DIAJUKAN = "diajukan"
    DIKABULKAN = "dikabulkan"
    DITOLAK = "ditolak"


class RhkKind(StrEnum):
    """An RHK (rencana hasil kerja): a main result or an additional one."""

    UTAMA = "utama"
    TAMBAHAN = "tambahan"


class JobKind(StrEnum):
    """The kinds of background work (app/models/jobs.py)."""

    TUTUP = "tutup"
    GANTI_ATURAN = "ganti_aturan"
    SIMULASI = "simulasi"
    IMPOR = "impor"
    LAPORAN = "laporan"


class JobState(StrEnum):
    """A background job: waiting, being worked, finished, or given up with an error."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ChunkState(StrEnum):
    """A slice of a job: still to do, or done (once, however often it is delivered)."""

    PENDING = "pending"
    DONE = "done"


JABATAN_KINDS: tuple[str, ...] = ("jpt", "administrator", "pengawas", "fungsional", "pelaksana")
EMPLOYEE_STATUSES: tuple[str, ...] = ("PNS", "PPPK")
# Jenjang of a jabatan fungsional (PermenPANRB 1/2023): keterampilan, then keahlian, low to high.
JENJANG: tuple[str, ...] = (
    "pemula",
    "terampil",
    "mahir",
    "penyelia",
    "ahli_pertama",
    "ahli_muda",
    "ahli_madya",
    "ahli_utama",
)
PERIOD_KINDS: tuple[str, ...] = ("bulanan", "triwulanan", "semesteran", "tahunan")
PERIOD_STATES: tuple[str, ...] = tuple(member.value for member in PeriodState)
RATER_KINDS: tuple[str, ...] = tuple(member.value for member in RaterKind)
RULESET_STATUSES: tuple[str, ...] = tuple(member.value for member in RulesetStatus)
SCALES: tuple[str, ...] = ("ekspektasi", "bintang")
EKSPEKTASI_LEVELS: tuple[str, ...] = (
    "di_bawah_ekspektasi",
    "sesuai_ekspektasi",
    "di_atas_ekspektasi",
)
PREDICATES: tuple[str, ...] = (
    "sangat_baik",
    "baik",
    "butuh_perbaikan",
    "kurang",
    "sangat_kurang",
)
ORGANISATION_PREDICATES: tuple[str, ...] = (
    "istimewa",
    "baik",
    "butuh_perbaikan",
    "kurang",
    "sangat_kurang",
)
# The same, lowest first: the rank order the engine compares predikat in (rank 1 is the lowest).
PREDICATES_LOWEST_FIRST: tuple[str, ...] = tuple(reversed(PREDICATES))
ORGANISATION_PREDICATES_LOWEST_FIRST: tuple[str, ...] = tuple(reversed(ORGANISATION_PREDICATES))
SKP_STATES: tuple[str, ...] = tuple(member.value for member in SkpState)
RHK_KINDS: tuple[str, ...] = tuple(member.value for member in RhkKind)
RATING_STATES: tuple[str, ...] = tuple(member.value for member in RatingState)
# Dialog kinerja (PermenPANRB 6/2022, pelaksanaan dan pembinaan kinerja): the conversation itself
# or a bimbingan kinerja (coaching) session, written by the employee or the pejabat penilai.
DIALOG_KINDS: tuple[str, ...] = ("dialog_kinerja", "bimbingan_kinerja")
DIALOG_AUTHORS: tuple[str, ...] = ("pejabat_penilai", "pegawai")
APPEAL_STATES: tuple[str, ...] = tuple(member.value for member in AppealState)
JOB_KINDS: tuple[str, ...] = tuple(member.value for member in JobKind)
JOB_STATES: tuple[str, ...] = tuple(member.value for member in JobState)
CHUNK_STATES: tuple[str, ...] = tuple(member.value for member in ChunkState)

LABELS: dict[str, str] = {
    "jpt": "Jabatan Pimpinan Tinggi",
    "administrator": "Administrator",
    "pengawas": "Pengawas",
    "fungsional": "Fungsional",
    "pelaksana": "Pelaksana",
    "pemula": "Pemula",
    "terampil": "Terampil",
    "mahir": "Mahir",
    "penyelia": "Penyelia",
    "ahli_pertama": "Ahli Pertama",
    "ahli_muda": "Ahli Muda",
    "ahli_madya": "Ahli Madya",
    "ahli_utama": "Ahli Utama",
    "bulanan": "Bulanan",
    "triwulanan": "Triwulanan",
    "semesteran": "Semesteran",
    "tahunan": "Tahunan",
    "draft": "Draf",
    "open": "Dibuka",
    "review": "Peninjauan",
    "closed": "Ditutup",
    "published": "Diterbitkan",
    "archived": "Diarsipkan",
    "submitted": "Diajukan",
    "approved": "Disetujui",
    "returned": "Dikembalikan",
    # an appeal's states ("diajukan" reads the same as an SKP's "submitted")
    "diajukan": "Diajukan",
    "dikabulkan": "Dikabulkan",
    "ditolak": "Ditolak",
    "supervisor": "Pejabat penilai",
    "peer": "Rekan kerja",
    "self": "Diri sendiri",
    "public": "Masyarakat",
    "utama": "Utama",
    "tambahan": "Tambahan",
    "ekspektasi": "Ekspektasi (3 tingkat)",
    "bintang": "Bintang 1–5",
    "di_bawah_ekspektasi": "Di Bawah Ekspektasi",
    "sesuai_ekspektasi": "Sesuai Ekspektasi",
    "di_atas_ekspektasi": "Di Atas Ekspektasi",
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang/Misconduct",
    "sangat_kurang": "Sangat Kurang",
    "istimewa": "Istimewa",
    "belum_ada": "Belum ada",
    "lengkap": "Lengkap",
    "belum_lengkap": "Belum lengkap",
    "tidak_valid": "Tidak valid",
    "dialog_kinerja": "Dialog kinerja",
    "bimbingan_kinerja": "Bimbingan kinerja (coaching)",
    "pejabat_penilai": "Pejabat penilai",
    "pegawai": "Pegawai",
    "hasil_kerja": "Hasil kerja",
    "perilaku_kerja": "Perilaku kerja",
    "kinerja_lokal": "Kinerja lokal (Aceh)",
    # the shipped TPP components (consequences.allowance.components)
    "kinerja": "Kinerja",
    "disiplin": "Disiplin",
    # background work (app/models/jobs.py)
    "tutup": "Penutupan periode",
    "ganti_aturan": "Penggantian versi aturan",
    "simulasi": "Simulasi aturan",
    "impor": "Impor pegawai",
    "laporan": "Laporan massal",
    "queued": "Menunggu giliran",
    "running": "Berjalan",
    "done": "Selesai",
    "failed": "Gagal",
    "cukup": "Cukup",
    "perlu_pembinaan": "Perlu Pembinaan",
}


# What each point of a rating scale means, shown beside it on the rating form. The ekspektasi
# levels follow the regulation's reading of an aspect (domain.md 5.2), said of one item.
SCALE_WORDS: dict[str, str] = {
    "di_atas_ekspektasi": "melampaui ekspektasi yang disepakati (hasil atau perilaku lebih dari "
    "yang diharapkan)",
    "sesuai_ekspektasi": "memenuhi ekspektasi yang disepakati",
    "di_bawah_ekspektasi": "belum memenuhi ekspektasi yang disepakati",
}
STAR_WORDS: dict[int, str] = {
    1: "Sangat kurang",
    2: "Kurang",
    3: "Cukup",
    4: "Baik",
    5: "Sangat baik",
}


def label(value: str | None) -> str:
    """The Indonesian label of a vocabulary value, or the value itself when it has none."""
    if value is None:
        return ""
    return LABELS.get(value, value)


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """(value, label) pairs for a select field."""
    return [(value, label(value)) for value in values]
