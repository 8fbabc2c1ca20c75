"""Realisation against approved RHK (monthly entries) and the supervisor's umpan balik
berkelanjutan on them.

Only the employee writes their realisation, only the direct supervisor (the pejabat penilai)
answers, and only while the period is open: a closed period's record is what was appraised.
There is one entry per RHK and month; a second one for the same month is refused with a pointer
to the first, which is changed explicitly (`edit_realisation`), so nothing is overwritten
without the employee seeing what was there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import SkpState
from app.domain.wording import MONTHS
from app.models import Employee, Evidence, Period, Realisation, Rhk, Skp
from app.models.base import utcnow
from app.services import audit
from app.services.access import can_reach, is_direct_supervisor
from app.services.actor import Actor
from app.services.appraisal.periods import ensure_open, ensure_writable
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.unit_of_work import unit_of_work

MAX_TEXT = 4000


@dataclass
class RhkRealisation:
    """One approved RHK with its monthly entries (and their live evidence)."""

    rhk: Rhk
    entries: list[Realisation] = field(default_factory=list)
    evidence: dict[int, list[Evidence]] = field(default_factory=dict)


def months_of(period: Period) -> list[tuple[int, int]]:
    """(year, month) pairs the period covers, in order."""
    months = []
    year, month = period.start_date.year, period.start_date.month
    while date(year, month, 1) <= period.end_date:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def approved_rhk(session: Session, employee: Employee, period: Period) -> list[RhkRealisation]:
    """The employee's approved RHK in the period with entries and non-deleted evidence."""
    skp = session.scalar(
        select(Skp).where(Skp.period_id == period.id, Skp.employee_id == employee.id)
    )
    if skp is None or skp.state != SkpState.APPROVED:
        return []
    out: list[RhkRealisation] = []
    for rhk in skp.rhk:
        entries = list(
            session.scalars(
                select(Realisation)
                .where(Realisation.rhk_id == rhk.id)
                .order_by(Realisation.year, Realisation.month)
            )
        )
        evidence = {
            entry.id: [e for e in entry.evidence if e.deleted_at is None] for entry in entries
        }
        out.append(RhkRealisation(rhk=rhk, entries=entries, evidence=evidence))
    return out


def _text(value: str | None, field_name: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"{what} wajib diisi.", field=field_name)
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"{what} paling banyak {MAX_TEXT} karakter.", field=field_name)
    return text


def _owner_rhk(session: Session, actor: Actor, rhk_id: int) -> Rhk:
    rhk = session.get(Rhk, rhk_id)
    if rhk is None:
        raise NotFound("RHK tidak ditemukan.")
    employee = rhk.skp.employee
    if not can_reach(session, actor, employee):
        raise NotFound("RHK tidak ditemukan.")
    if actor.employee_id != employee.id:
        raise Forbidden("Hanya pegawai pemilik SKP yang dapat mengisi realisasi.")
    if rhk.skp.state != SkpState.APPROVED:
        raise InvalidInput("Realisasi hanya dapat diisi untuk RHK pada SKP yang disetujui.")
    return rhk


@unit_of_work()
def record_realisation(
    session: Session,
    actor: Actor,
    rhk_id: int,
    year: int,
    month: int,
    text: str | None,
    value: str | None = None,
) -> Realisation:
    """Add the employee's realisation of one RHK for one month, and commit. A month that has
    an entry already is refused: the employee edits that entry instead."""
    rhk = _owner_rhk(session, actor, rhk_id)
    period = rhk.skp.period
    ensure_open(period)
    if (year, month) not in months_of(period):
        raise InvalidInput(
            f"Bulan {month}/{year} berada di luar periode '{period.name}'.", field="month"
        )
    body = _text(text, "text", "Uraian realisasi")
    amount = (value or "").strip()[:200] or None
    existing = session.scalar(
        select(Realisation).where(
            Realisation.rhk_id == rhk.id, Realisation.year == year, Realisation.month == month
        )
    )
    if existing is not None:
        raise Conflict(
            f"Realisasi {rhk.code} bulan {MONTHS[month - 1]} {year} sudah diisi "
            f"(“{existing.text}”). Gunakan tombol Ubah pada entri itu agar isinya tidak "
            "tertimpa tanpa sengaja.",
            field="month",
        )
    entry = Realisation(rhk_id=rhk.id, year=year, month=month, text=body, value=amount)
    session.add(entry)
    session.flush()
    audit.describe(session, "realisasi.catat", actor, subject=entry)
    return entry


@unit_of_work()
def edit_realisation(
    session: Session,
    actor: Actor,
    realisation_id: int,
    text: str | None,
    value: str | None = None,
    lock_version: int | None = None,
) -> Realisation:
    """Change one's own entry on purpose (the page showed it); `lock_version` is what the
    page showed, so a change made meanwhile elsewhere is refused instead of lost."""
    entry = get_realisation(session, actor, realisation_id)
    rhk = _owner_rhk(session, actor, entry.rhk_id)
    ensure_open(rhk.skp.period)
    if lock_version is not None and entry.lock_version != lock_version:
        raise Conflict("Realisasi ini telah diubah sejak halaman dibuka; muat ulang halaman.")
    body = _text(text, "text", "Uraian realisasi")
    amount = (value or "").strip()[:200] or None
    before = {"text": entry.text, "value": entry.value}
    entry.text, entry.value = body, amount
    session.flush()
    audit.record(
        session,
        actor,
        "realisasi.ubah",
        "realisation",
        entry.id,
        before,
        {"text": body, "value": amount},
    )
    return entry


def get_realisation(session: Session, actor: Actor, realisation_id: int) -> Realisation:
    """A realisation the actor may see (owner, supervisor chain, HR), else NotFound."""
    entry = session.get(Realisation, realisation_id)
    if entry is None or not can_reach(session, actor, entry.rhk.skp.employee):
        raise NotFound("Realisasi tidak ditemukan.")
    return entry


@unit_of_work()
def give_feedback(
    session: Session, actor: Actor, realisation_id: int, text: str | None
) -> Realisation:
    """The pejabat penilai's umpan balik berkelanjutan on one entry, and commit."""
    entry = get_realisation(session, actor, realisation_id)
    owner = entry.rhk.skp.employee
    if not is_direct_supervisor(actor, owner):
        raise Forbidden("Umpan balik hanya diberikan oleh pejabat penilai (atasan langsung).")
    ensure_writable(entry.rhk.skp.period)
    body = _text(text, "feedback", "Umpan balik")
    entry.supervisor_feedback = body
    entry.feedback_at = utcnow()
    session.flush()
    audit.describe(session, "realisasi.umpan_balik", actor, subject=entry)
    return entry
