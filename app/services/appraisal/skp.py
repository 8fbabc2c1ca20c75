"""SKP use cases: the employee drafts RHK for a period; the supervisor approves or returns it.

Only an approved SKP generates the RHK items of the rating form, and an approved SKP no longer
changes. While it is a draft or returned, its owner adds, edits and deletes RHK; when it comes
back after a return, the supervisor sees what changed since (from the audit snapshot taken at
the return).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import RHK_KINDS, RhkKind, SkpState, label
from app.models import AuditLog, Rhk, Skp
from app.services import audit, notifications
from app.services.access import can_see_plan, is_direct_supervisor
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.unit_of_work import unit_of_work


@dataclass
class RhkDraft:
    """One RHK as the employee writes it."""

    text: str
    iki: str
    target: str
    kind: str = RhkKind.UTAMA
    superior_rhk: str | None = None


def _rhk_fields(rhk: Rhk) -> dict[str, object]:
    """An RHK as the audit log records it before and after a change."""
    return {
        "rhk": rhk.code,
        "kind": rhk.kind,
        "text": rhk.text,
        "iki": rhk.iki,
        "target": rhk.target,
        "superior_rhk": rhk.superior_rhk,
    }


def _snapshot(skp: Skp) -> dict[str, object]:
    return {
        "state": skp.state,
        "comment": skp.supervisor_comment,
        "rhk": [
            {
                "id": r.id,
                "code": r.code,
                "kind": r.kind,
                "text": r.text,
                "iki": r.iki,
                "target": r.target,
                "superior_rhk": r.superior_rhk,
            }
            for r in skp.rhk
        ],
    }


def own_skp(session: Session, actor: Actor, period_id: int) -> Skp:
    """The actor's SKP for the period, created empty on first use."""
    if actor.employee_id is None:
        raise Forbidden("Akun ini tidak terhubung dengan data pegawai.")
    period = periods.get_period(session, period_id)
    skp = session.scalar(
        select(Skp).where(Skp.period_id == period.id, Skp.employee_id == actor.employee_id)
    )
    if skp is None:
        periods.ensure_open(period)
        skp = Skp(period_id=period.id, employee_id=actor.employee_id, state=SkpState.DRAFT)
        session.add(skp)
        session.commit()
    return skp


def get_skp(session: Session, actor: Actor, skp_id: int) -> Skp:
    """An SKP the actor may see: own, a subordinate's, or any for Kepegawaian."""
    skp = session.get(Skp, skp_id)
    if skp is None:
        raise NotFound("SKP tidak ditemukan.")
    if can_see_plan(actor, skp.employee):
        return skp
    raise NotFound("SKP tidak ditemukan.")


def _editable(session: Session, actor: Actor, skp_id: int, verb: str) -> Skp:
    """One's own SKP in an open period, still a draft or returned: else the refusal."""
    skp = get_skp(session, actor, skp_id)
    if skp.employee_id != actor.employee_id:
        raise Forbidden("Hanya pemilik SKP yang dapat menyusun RHK.")
    periods.ensure_open(skp.period)
    if skp.state not in (SkpState.DRAFT, SkpState.RETURNED):
        raise Conflict(f"SKP berstatus {label(skp.state)}; RHK tidak dapat {verb}.")
    return skp


def _check_draft(draft: RhkDraft) -> None:
    if draft.kind not in RHK_KINDS:
        raise InvalidInput("Jenis RHK harus utama atau tambahan.", field="kind")
    for name, value in (("text", draft.text), ("iki", draft.iki), ("target", draft.target)):
        if not (value or "").strip():
            raise InvalidInput("Rencana hasil kerja, IKI dan target wajib diisi.", field=name)


def _own_rhk(skp: Skp, rhk_id: int) -> Rhk:
    rhk = next((r for r in skp.rhk if r.id == rhk_id), None)
    if rhk is None:
        raise NotFound("RHK tidak ditemukan.")
    return rhk


@unit_of_work()
def add_rhk(session: Session, actor: Actor, skp_id: int, draft: RhkDraft) -> Rhk:
    """Add an RHK to one's own draft (or returned) SKP."""
    skp = _editable(session, actor, skp_id, "ditambah")
    _check_draft(draft)
    position = (session.scalar(select(func.max(Rhk.position)).where(Rhk.skp_id == skp.id)) or 0) + 1
    rhk = Rhk(
        skp_id=skp.id,
        position=position,
        kind=draft.kind,
        text=draft.text.strip(),
        iki=draft.iki.strip(),
        target=draft.target.strip(),
        superior_rhk=(draft.superior_rhk or "").strip() or None,
    )
    session.add(rhk)
    session.flush()
    audit.record(
        session,
        actor,
        "skp.tambah_rhk",
        "skp",
        skp.id,
        None,
        {"id": rhk.id, "rhk": rhk.code, "text": rhk.text},
    )
    return rhk


@unit_of_work()
def update_rhk(session: Session, actor: Actor, skp_id: int, rhk_id: int, draft: RhkDraft) -> Rhk:
    """Change an RHK of one's own draft (or returned) SKP."""
    skp = _editable(session, actor, skp_id, "diubah")
    rhk = _own_rhk(skp, rhk_id)
    _check_draft(draft)
    before = _rhk_fields(rhk)
    rhk.kind = draft.kind
    rhk.text, rhk.iki, rhk.target = draft.text.strip(), draft.iki.strip(), draft.target.strip()
    rhk.superior_rhk = (draft.superior_rhk or "").strip() or None
    session.flush()
    audit.record(
        session,
        actor,
        "skp.ubah_rhk",
        "skp",
        skp.id,
        before,
        _rhk_fields(rhk),
    )
    return rhk


@unit_of_work()
def delete_rhk(session: Session, actor: Actor, skp_id: int, rhk_id: int) -> None:
    """Remove an RHK of one's own draft (or returned) SKP; the others are renumbered, so that
    the codes (RHK-1, RHK-2, ...) stay without gaps."""
    skp = _editable(session, actor, skp_id, "dihapus")
    rhk = _own_rhk(skp, rhk_id)
    before = {"rhk": rhk.code, "kind": rhk.kind, "text": rhk.text}
    skp.rhk.remove(rhk)
    session.delete(rhk)
    for position, remaining in enumerate(skp.rhk, start=1):
        remaining.position = position
    session.flush()
    audit.record(session, actor, "skp.hapus_rhk", "skp", skp.id, before, None)


@unit_of_work()
def submit(session: Session, actor: Actor, skp_id: int) -> Skp:
    """The employee hands the SKP to the supervisor."""
    skp = get_skp(session, actor, skp_id)
    if skp.employee_id != actor.employee_id:
        raise Forbidden("Hanya pemilik SKP yang dapat mengajukannya.")
    periods.ensure_open(skp.period)
    if skp.state not in (SkpState.DRAFT, SkpState.RETURNED):
        raise Conflict(f"SKP berstatus {label(skp.state)}.")
    if not any(r.kind == RhkKind.UTAMA for r in skp.rhk):
        raise InvalidInput("SKP harus memuat sekurang-kurangnya satu RHK utama.", field="rhk")
    before = _snapshot(skp)
    skp.state = SkpState.SUBMITTED
    session.flush()
    audit.record(session, actor, "skp.ajukan", "skp", skp.id, before, _snapshot(skp))
    notifications.skp_submitted(session, skp)
    return skp


@unit_of_work()
def review(
    session: Session, actor: Actor, skp_id: int, approve: bool, comment: str | None = None
) -> Skp:
    """The supervisor approves the SKP, or returns it with a comment."""
    skp = get_skp(session, actor, skp_id)
    if not is_direct_supervisor(actor, skp.employee):
        raise Forbidden("Hanya atasan langsung yang dapat menyetujui SKP ini.")
    periods.ensure_open(skp.period)
    if skp.state != SkpState.SUBMITTED:
        raise Conflict(f"SKP berstatus {label(skp.state)}, belum diajukan.")
    if not approve and not (comment or "").strip():
        raise InvalidInput("Catatan wajib diisi saat SKP dikembalikan.", field="comment")
    before = _snapshot(skp)
    skp.state = SkpState.APPROVED if approve else SkpState.RETURNED
    skp.supervisor_comment = (comment or "").strip() or None
    session.flush()
    audit.record(
        session,
        actor,
        "skp.setujui" if approve else "skp.kembalikan",
        "skp",
        skp.id,
        before,
        _snapshot(skp),
    )
    notifications.skp_reviewed(session, skp)
    return skp


CHANGE_FIELDS: tuple[tuple[str, str], ...] = (
    ("text", "Rencana hasil kerja"),
    ("kind", "Jenis"),
    ("iki", "IKI"),
    ("target", "Target"),
    ("superior_rhk", "RHK atasan yang diintervensi"),
)


@dataclass
class RhkChange:
    """One RHK added, changed or removed since the SKP was returned."""

    change: str  # ditambah, diubah, dihapus
    code: str
    text: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)


@dataclass
class ReturnDiff:
    """What the employee changed since the supervisor returned the SKP."""

    returned_at: datetime
    comment: str | None
    changes: list[RhkChange]


def _shown(key: str, value: Any) -> str:
    if value in (None, ""):
        return "–"
    return label(value) if key == "kind" else str(value)


def changes_since_return(session: Session, skp: Skp) -> ReturnDiff | None:
    """The RHK as they were when the SKP was last returned, against the RHK now (None when it
    was never returned). RHK are matched by id; snapshots without ids, by position."""
    returned = session.scalar(
        select(AuditLog)
        .where(
            AuditLog.object_type == "skp",
            AuditLog.object_id == skp.id,
            AuditLog.action == "skp.kembalikan",
        )
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(1)
    )
    if returned is None:
        return None
    # A database may hand a deleted row's id to the next new row (SQLite does): an id added
    # since the return is a new RHK even when the returned SKP had an RHK with that id.
    added = {
        (after or {}).get("id")
        for after in session.scalars(
            select(AuditLog.after).where(
                AuditLog.object_type == "skp",
                AuditLog.object_id == skp.id,
                AuditLog.action == "skp.tambah_rhk",
                AuditLog.id > returned.id,
            )
        )
    }
    old_rows = list((returned.after or {}).get("rhk") or [])
    old = {row.get("id", f"pos-{i}"): row for i, row in enumerate(old_rows, start=1)}
    changes: list[RhkChange] = []
    seen = set()
    for position, rhk in enumerate(skp.rhk, start=1):
        key = rhk.id if rhk.id in old else f"pos-{position}"
        before = None if rhk.id in added else old.get(key)
        if before is None:
            changes.append(RhkChange("ditambah", rhk.code, rhk.text))
            continue
        seen.add(key)
        now = {
            "text": rhk.text,
            "kind": rhk.kind,
            "iki": rhk.iki,
            "target": rhk.target,
            "superior_rhk": rhk.superior_rhk,
        }
        fields = [
            (title, _shown(name, before.get(name)), _shown(name, now[name]))
            for name, title in CHANGE_FIELDS
            if (before.get(name) or None) != (now[name] or None)
        ]
        if fields:
            changes.append(RhkChange("diubah", rhk.code, rhk.text, fields))
    for key, row in old.items():
        if key not in seen:
            changes.append(
                RhkChange("dihapus", str(row.get("code") or "RHK"), str(row.get("text") or ""))
            )
    return ReturnDiff(
        returned_at=returned.at, comment=(returned.after or {}).get("comment"), changes=changes
    )
