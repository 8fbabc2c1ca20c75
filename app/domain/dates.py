"""Dates as people type them on forms (`dd/mm/yyyy`), and calendar arithmetic for periods.

Pure functions (no Flask, no database). Writing dates for people is `app.domain.wording`'s.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

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


def add_months(start: date, months: int) -> date:
    """The same day `months` calendar months later (clamped to the month's last day)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return min(
        start.replace(year=year, month=month, day=1) + timedelta(days=start.day - 1),
        following - timedelta(days=1),
    )
