"""Dates as people in Aceh write them: `dd/mm/yyyy` on forms, `1 Oktober 2026` in sentences.

Pure functions (no Flask, no database), so the engine, the services, the CLI and the pages
read and write dates the same way.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
)  # fmt: skip

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def parse_dmy(text: str | None) -> date | None:
    """`31/12/2026` (also `31-12-2026`, `31.12.2026`, single-digit day or month) as a date;
    None when the text is not such a date. The ISO form is not accepted on forms: `2026-01-02`
    read as day-first would silently become another date."""
    match = _DMY.match(text or "")
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_dmy(value: date | None) -> str:
    """`01/10/2026`; an empty string for no date."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_long(value: date | None) -> str:
    """`1 Oktober 2026`; an empty string for no date."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}" if value else ""


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later (clamped to the month's last day)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return min(start.replace(year=year, month=month, day=1) + timedelta(days=start.day - 1),
               following - timedelta(days=1))  # fmt: skip
