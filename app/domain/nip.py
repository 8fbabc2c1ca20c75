"""NIP (PNS) and NI PPPK: 18 digits that encode the birth date, appointment and gender.

Layout (Perka BKN 22/2007): birth date YYYYMMDD, TMT CPNS YYYYMM, gender (1 male, 2 female),
sequence number of 3 digits. An NI PPPK keeps the birth date, gender and sequence, but digits
9–14 are the appointment year followed by a two-digit code whose meaning is not settled, so
only the year is checked there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_NIP_RE = re.compile(r"^\d{18}$")


class NipError(ValueError):
    """An NIP that cannot belong to anyone; the message is for the user, in Indonesian."""


@dataclass(frozen=True)
class Nip:
    """The facts an NIP carries."""

    value: str
    birth_date: date
    appointment_year: int
    appointment_month: int | None
    gender: str  # "L" or "P"
    sequence: int

    @property
    def display(self) -> str:
        """The grouped form used in letters: 19860926 201505 1 001."""
        v = self.value
        return f"{v[:8]} {v[8:14]} {v[14]} {v[15:]}"


def _age_on(birth: date, year: int, month: int) -> int:
    return year - birth.year - (1 if (month, 1) < (birth.month, birth.day) else 0)


def parse_nip(raw: str, status: str = "PNS") -> Nip:
    """Parse and check an NIP; raise NipError with the reason when it is impossible."""
    value = re.sub(r"\s+", "", raw or "")
    if not _NIP_RE.match(value):
        raise NipError("NIP harus terdiri atas 18 angka.")
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise NipError(f"Tanggal lahir pada NIP ({value[0:8]}) bukan tanggal yang sah.") from None
    year = int(value[8:12])
    month: int | None = None  # an NI PPPK has no appointment month (see above)
    if status != "PPPK":
        month = int(value[12:14])
        if not 1 <= month <= 12:
            raise NipError(f"TMT CPNS pada NIP ({value[8:14]}) bukan bulan yang sah.")
    gender_digit = value[14]
    if gender_digit not in "12":
        raise NipError("Digit ke-15 NIP (jenis kelamin) harus 1 (laki-laki) atau 2 (perempuan).")
    sequence = int(value[15:18])
    if sequence == 0:
        raise NipError("Nomor urut pada NIP (3 digit terakhir) dimulai dari 001.")
    if _age_on(birth, year, month or 12) < 18:
        raise NipError("TMT pengangkatan pada NIP harus setelah pegawai berusia 18 tahun.")
    if (year, month or 1) > (date.today().year + 1, 12):
        raise NipError("TMT pengangkatan pada NIP berada terlalu jauh di masa depan.")
    return Nip(
        value=value,
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        gender="L" if gender_digit == "1" else "P",
        sequence=sequence,
    )


def nip_error(raw: str, status: str = "PNS") -> str | None:
    """The reason an NIP is invalid, or None."""
    try:
        parse_nip(raw, status)
    except NipError as exc:
        return str(exc)
    return None
