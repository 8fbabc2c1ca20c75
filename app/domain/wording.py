"""How values are written for people: Indonesian dates, WIB times, numbers, yes/no, empty.

Pure functions, importable by the panel, the PDF and Excel writers and the CLI alike, so a date or
a number reads the same on every screen and document. Stored times are naive UTC; they are shown
in Asia/Jakarta (WIB).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal

from app.domain.enums import LABELS

WIB = ZoneInfo("Asia/Jakarta")
EMPTY = "–"
MONTHS: tuple[str, ...] = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def to_wib(moment: datetime) -> datetime:
    """A stored time (naive means UTC) in Asia/Jakarta."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(WIB)


def long_date(day: date | datetime | None) -> str:
    """`1 Oktober 2026`; a stored time is first moved to WIB."""
    if day is None:
        return EMPTY
    if isinstance(day, datetime):
        day = to_wib(day).date()
    return format_date(day, format="d MMMM y", locale="id")


def short_date(day: date | None) -> str:
    """`01/10/2026`."""
    if day is None:
        return EMPTY
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def moment(value: datetime | None) -> str:
    """`01/10/2026 14:05 WIB` (no seconds: nobody acts on them)."""
    if value is None:
        return EMPTY
    local = to_wib(value)
    return f"{short_date(local.date())} {local.hour:02d}:{local.minute:02d} WIB"


def number(value: float | int | Decimal | None, decimals: int | None = None) -> str:
    """A decimal comma and a thousands dot: `1.234,5`. Whole numbers lose their `,0`;
    `decimals` fixes the digits after the comma."""
    if value is None:
        return EMPTY
    pattern = "#,##0.##" if decimals is None else "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(value, format=pattern, locale="id")


def percent(value: float | int | Decimal | None) -> str:
    """`87,5%`."""
    return EMPTY if value is None else f"{number(value)}%"


def yes_no(value: bool | None) -> str:
    if value is None:
        return EMPTY
    return "Ya" if value else "Tidak"


def display(value: Any) -> str:
    """Any stored value as a person reads it: vocabulary codes as their labels, dates and times
    in Indonesian (WIB), numbers with a decimal comma, booleans as Ya/Tidak, nothing as "–".

    Structured values (dicts, lists) have no general reading: callers render them on purpose or
    leave them off the screen, so they are shown as a dash rather than as a dump.
    """
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime):
        return moment(value)
    if isinstance(value, date):
        return long_date(value)
    if isinstance(value, int | float | Decimal):
        return number(value)
    if isinstance(value, str):
        return LABELS.get(value, value)
    if isinstance(value, dict | list | tuple | set):
        return EMPTY
    return str(value)
