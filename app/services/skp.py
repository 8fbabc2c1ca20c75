"""SKP use cases: the employee drafts RHK for a period; the supervisor approves or returns it.

Only an approved SKP generates the RHK items of the rating form.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.enums import RHK_KINDS, label
from app.models import Employee, Rhk, Skp
from app.services import audit, notifications, periods
from app.services.actor import Actor
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound


@dataclass
class RhkDraft:
    """One RHK as the employee writes it."""

    text: str
    iki: str
    target: str
    kind: str = "utama"
    superior_rhk: str | None = None


def _snapshot(skp: Skp) -> dict[str, object]:
    return {
        "state": skp.state,
        "comment": skp.supervisor_comment,
        "rhk": [
            {"kind": r.kind, "text": r.text, "iki": r.iki, "target": r.target} for r in skp.rhk
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
        skp = Skp(period_id=period.id, employee_id=actor.employee_id, state="draft")
        session.add(skp)
        session.commit()
    return skp


def get_skp(session: Session, actor: Actor, skp_id: int) -> Skp:
    """An SKP the actor may see: own, a subordinate's, or any for Kepegawaian."""
    skp = session.get(Skp, skp_id)
    if skp is None:
        raise NotFound("SKP tidak ditemukan.")
    owner = skp.employee
    if actor.is_hr or owner.id == actor.employee_id or owner.supervisor_id == actor.employee_id:
        return skp
    raise NotFound("SKP tidak ditemukan.")


def add_rhk(session: Session, actor: Actor, skp_id: int, draft: RhkDraft) -> Rhk:
    """Add an RHK to one's own draft (or returned) SKP."""
    skp = get_skp(session, actor, skp_id)
    if skp.employee_id != actor.employee_id:
        raise Forbidden("Hanya pemilik SKP yang dapat menyusun RHK.")
    periods.ensure_open(skp.period)
    if skp.state not in ("draft", "returned"):
        raise Conflict(f"SKP berstatus {label(skp.state)}; RHK tidak dapat ditambah.")
    if draft.kind not in RHK_KINDS:
        raise InvalidInput("Jenis RHK harus utama atau tambahan.", field="kind")
    for name, value in (("text", draft.text), ("iki", draft.iki), ("target", draft.target)):
        if not (value or "").strip():
            raise InvalidInput("Rencana hasil kerja, IKI dan target wajib diisi.", field=name)
    position = (
        session.scalar(select(func.max(Rhk.position)).where(Rhk.skp_id == skp.id)) or 0
    ) + 1
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
    audit.record(session, actor, "skp.tambah_rhk", "skp", skp.id, None,
                 {"rhk": rhk.code, "text": rhk.text})  # fmt: skip
    session.commit()
    return rhk


def submit(session: Session, actor: Actor, skp_id: int) -> Skp:
    """The employee hands the SKP to the supervisor."""
    skp = get_skp(session, actor, skp_id)
    if skp.employee_id != actor.employee_id:
        raise Forbidden("Hanya pemilik SKP yang dapat mengajukannya.")
    periods.ensure_open(skp.period)
    if skp.state not in ("draft", "returned"):
        raise Conflict(f"SKP berstatus {label(skp.state)}.")
    if not any(r.kind == "utama" for r in skp.rhk):
        raise InvalidInput("SKP harus memuat sekurang-kurangnya satu RHK utama.", field="rhk")
    before = _snapshot(skp)
    skp.state = "submitted"
    session.flush()
    audit.record(session, actor, "skp.ajukan", "skp", skp.id, before, _snapshot(skp))
    notifications.skp_submitted(session, skp)
    session.commit()
    return skp


def review(
    session: Session, actor: Actor, skp_id: int, approve: bool, comment: str | None = None
) -> Skp:
    """The supervisor approves the SKP, or returns it with a comment."""
    skp = get_skp(session, actor, skp_id)
    owner: Employee = skp.employee
    if owner.supervisor_id != actor.employee_id:
        raise Forbidden("Hanya atasan langsung yang dapat menyetujui SKP ini.")
    periods.ensure_open(skp.period)
    if skp.state != "submitted":
        raise Conflict(f"SKP berstatus {label(skp.state)}, belum diajukan.")
    if not approve and not (comment or "").strip():
        raise InvalidInput("Catatan wajib diisi saat SKP dikembalikan.", field="comment")
    before = _snapshot(skp)
    skp.state = "approved" if approve else "returned"
    skp.supervisor_comment = (comment or "").strip() or None
    session.flush()
    audit.record(session, actor, "skp.setujui" if approve else "skp.kembalikan", "skp", skp.id,
                 before, _snapshot(skp))  # fmt: skip
    notifications.skp_reviewed(session, skp)
    session.commit()
    return skp
