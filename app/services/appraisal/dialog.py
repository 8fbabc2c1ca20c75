"""Dialog kinerja and bimbingan kinerja: a thread per employee and period.

PermenPANRB 6/2022 asks for a continuing dialogue between the pejabat penilai and the employee
while the work is done (pelaksanaan, pemantauan dan pembinaan kinerja). Each entry records when
it took place, the topic, the notes and the follow-up agreed. It is between two people: only the
employee and their pejabat penilai (the direct supervisor) write it and read it; Kepegawaian
reads it; everyone else gets 404, as if it did not exist. A closed period's thread is final.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import DIALOG_KINDS, PeriodState, label
from app.models import DialogEntry, Employee, Period
from app.services import audit
from app.services.access import is_direct_supervisor, is_self
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.unit_of_work import unit_of_work

MAX_TOPIC = 200
MAX_TEXT = 4000
WIB = ZoneInfo("Asia/Jakarta")


@dataclass
class EntryDraft:
    """One entry as its author writes it (the form's strings, unchecked)."""

    held_on: str | None
    topic: str | None
    notes: str | None
    follow_up: str | None = None
    kind: str | None = "dialog_kinerja"
    reply_to_id: int | None = None


@dataclass
class Thread:
    """The dialog of one employee in one period, oldest entry first."""

    period: Period
    employee: Employee
    entries: list[DialogEntry]
    may_write: bool


def role_of(actor: Actor, employee: Employee) -> str | None:
    """'pegawai' for the employee, 'pejabat_penilai' for their direct supervisor, else None."""
    if is_self(actor, employee):
        return "pegawai"
    if is_direct_supervisor(actor, employee):
        return "pejabat_penilai"
    return None


def _employee(session: Session, actor: Actor, employee_id: int) -> Employee:
    employee = session.get(Employee, employee_id)
    if employee is None or not (actor.is_hr or role_of(actor, employee)):
        raise NotFound("Dialog kinerja tidak ditemukan.")
    return employee


def thread(session: Session, actor: Actor, period_id: int, employee_id: int) -> Thread:
    """The thread the actor may read (the employee, the pejabat penilai, Kepegawaian)."""
    employee = _employee(session, actor, employee_id)
    period = periods.get_period(session, period_id)
    entries = list(
        session.scalars(
            select(DialogEntry)
            .where(DialogEntry.period_id == period.id, DialogEntry.employee_id == employee.id)
            .order_by(DialogEntry.held_on, DialogEntry.created_at, DialogEntry.id)
        )
    )
    writable = role_of(actor, employee) is not None and period.state != PeriodState.CLOSED
    return Thread(period=period, employee=employee, entries=entries, may_write=writable)


def _text(value: str | None, field: str, limit: int, required: bool, name: str) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise InvalidInput(f"{name} wajib diisi.", field=field)
        return None
    if len(text) > limit:
        raise InvalidInput(f"{name} paling banyak {limit} karakter.", field=field)
    return text


def _held_on(value: str | None, period: Period) -> date:
    """The dialog's date: a real date, not in the future (Jakarta's today), and not more than a
    month before the period starts (the expectations are often discussed just before it)."""
    try:
        held = date.fromisoformat((value or "").strip())
    except ValueError:
        raise InvalidInput("Tanggal dialog wajib diisi (tttt-bb-hh).", field="held_on") from None
    today = datetime.now(UTC).astimezone(WIB).date()
    if held > today:
        raise InvalidInput("Tanggal dialog tidak boleh di masa depan.", field="held_on")
    if held < period.start_date - timedelta(days=31):
        raise InvalidInput(
            f"Tanggal dialog jauh sebelum periode {period.name} dimulai.", field="held_on"
        )
    return held


@unit_of_work()
def add_entry(
    session: Session, actor: Actor, period_id: int, employee_id: int, draft: EntryDraft
) -> DialogEntry:
    """The employee or their pejabat penilai adds an entry to the thread, and commit."""
    employee = _employee(session, actor, employee_id)
    role = role_of(actor, employee)
    if role is None:
        raise Forbidden("Dialog kinerja ditulis oleh pegawai dan pejabat penilainya.")
    period = periods.get_period(session, period_id)
    periods.ensure_writable(period)
    kind = (draft.kind or "dialog_kinerja").strip()
    if kind not in DIALOG_KINDS:
        raise InvalidInput("Pilih jenis: dialog kinerja atau bimbingan kinerja.", field="kind")
    reply_to = None
    if draft.reply_to_id:
        reply_to = session.get(DialogEntry, draft.reply_to_id)
        if reply_to is None or (reply_to.period_id, reply_to.employee_id) != (
            period.id,
            employee.id,
        ):
            raise InvalidInput("Catatan yang ditanggapi tidak ada di dialog ini.", field="reply_to")
    entry = DialogEntry(
        period_id=period.id,
        employee_id=employee.id,
        author_id=actor.employee_id,
        author_role=role,
        kind=kind,
        held_on=_held_on(draft.held_on, period),
        topic=_text(draft.topic, "topic", MAX_TOPIC, True, "Topik"),
        notes=_text(draft.notes, "notes", MAX_TEXT, True, "Catatan"),
        follow_up=_text(draft.follow_up, "follow_up", MAX_TEXT, False, "Tindak lanjut"),
        reply_to_id=reply_to.id if reply_to else None,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor,
        "dialog.tambah",
        "dialog_entry",
        entry.id,
        None,
        {
            "period_id": period.id,
            "employee_id": employee.id,
            "kind": kind,
            "author_role": role,
            "held_on": entry.held_on.isoformat(),
            "topic": entry.topic,
        },
    )
    return entry


def describe(entry: DialogEntry) -> str:
    """Who wrote it, as the thread shows it: `Pejabat penilai · Nama`."""
    return f"{label(entry.author_role)} · {entry.author.name}"
