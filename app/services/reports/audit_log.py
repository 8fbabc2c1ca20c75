"""Reading the audit trail: days in WIB as UTC bounds, and the Excel export of a filtered log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from app.domain.audit_words import action_words, item_lines, object_words, value_lines
from app.domain.wording import WIB, moment
from app.models import AuditLog
from app.services.errors import InvalidInput

# An export is a document for a person, not a backup: beyond this, narrow the filters.
EXPORT_LIMIT = 50_000


def parse_day(text: str | None) -> date:
    """A day typed as `2026-10-01` (the date picker) or `01/10/2026`."""
    raw = (text or "").strip()
    for shape in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, shape).date()
        except ValueError:
            continue
    raise InvalidInput(f"Tanggal '{raw}' tidak dikenali; tulis seperti 01/10/2026.", field="at")


def day_start_utc(day: date) -> datetime:
    """The first moment of a WIB day, as the naive UTC the log stores."""
    return datetime.combine(day, time(), tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)


def day_end_utc(day: date) -> datetime:
    """The first moment after a WIB day (exclusive bound)."""
    return day_start_utc(day + timedelta(days=1))


def _changes(entry: AuditLog) -> str:
    parts = []
    for title, values in (("Sebelum", entry.before), ("Sesudah", entry.after)):
        lines = value_lines(values)
        if lines:
            parts.append(f"{title}: " + "; ".join(f"{k}: {v}" for k, v in lines))
    parts.extend(item_lines(entry.items, entry.item_count))
    return "\n".join(parts)


def workbook(entries: Iterable[AuditLog]) -> bytes:
    """The log as an Excel sheet, in words (time in WIB, actions and objects in Indonesian)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Log Audit"
    header = ["Waktu (WIB)", "Pengguna", "Tindakan", "Objek", "Nama objek", "Alasan", "Perubahan"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for entry in entries:
        sheet.append(
            [
                moment(entry.at),
                entry.username or "",
                action_words(entry.action),
                object_words(entry.object_type),
                entry.object_label or "",
                entry.reason or "",
                _changes(entry),
            ]
        )
    for column, width in zip("ABCDEFG", (20, 18, 36, 18, 12, 30, 80), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=7, max_col=7):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
