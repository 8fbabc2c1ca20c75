"""Every text written is within its column's bound, whatever the path (form, API, service,
CLI, import): checked once, at the session, before anything reaches the database.

SQLite stores any length and PostgreSQL refuses an over-long VARCHAR with an error that used to
surface as a 500; free-text (TEXT) columns had no bound at all. A `before_flush` listener checks
each new or changed row: String(n) by its n, Text by the `max_length` its column info carries
(`app.models.base.limit`). An over-long value raises InvalidInput naming the field, in
Indonesian, and the flush stores nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from app.services.errors import InvalidInput

# Names for people of the short columns (String(n)) that several models share.
LABELS = {
    "name": "Nama",
    "code": "Kode",
    "label": "Label",
    "note": "Catatan",
    "target": "Target",
    "value": "Nilai",
    "original_name": "Nama berkas",
    "email": "Email",
    "username": "Nama pengguna",
    "first_name": "Nama depan",
    "last_name": "Nama belakang",
    "nip": "NIP",
}


def _bound(column: Any) -> tuple[int, str] | None:
    info = column.info or {}
    if "max_length" in info:
        return int(info["max_length"]), str(info.get("label") or LABELS.get(column.key, column.key))
    if isinstance(column.type, String) and column.type.length:
        return column.type.length, LABELS.get(column.key, column.key)
    return None


def check(obj: Any) -> None:
    """Refuse the first over-long text of `obj` (InvalidInput on that field)."""
    state = inspect(obj)
    for attr in state.mapper.column_attrs:
        value = state.dict.get(attr.key)
        if not isinstance(value, str):
            continue
        for column in attr.columns:
            bound = _bound(column)
            if bound and len(value) > bound[0]:
                limit, label = bound
                raise InvalidInput(
                    f"{label} terlalu panjang: {len(value):,} karakter, paling banyak "
                    f"{limit:,}.".replace(",", "."),
                    field=attr.key,
                )


def _before_flush(session: Session, _context: object, _instances: object) -> None:
    for obj in list(session.new) + list(session.dirty):
        check(obj)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
