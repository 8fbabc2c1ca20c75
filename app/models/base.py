"""Shared column helpers for the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import CheckConstraint


def utcnow() -> datetime:
    """Timestamps are stored in UTC; the UI converts to Asia/Jakarta."""
    return datetime.now(UTC).replace(tzinfo=None)


def one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    """A CHECK constraint that keeps an enumeration column inside its vocabulary."""
    quoted = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({quoted})", name=name)


def limit(max_length: int, label: str) -> dict[str, object]:
    """Column info for a free-text column: its most characters and its name for people.

    Text columns have no length in the database; this is where their bound lives, checked
    for every write by app/services/lengths.py (String(n) columns are checked by their n).
    """
    return {"max_length": max_length, "label": label}
