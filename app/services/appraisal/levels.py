"""The supervisor's word on an aspect: confirm the engine's proposed level, or override it.

PermenPANRB 6/2022 leaves "sebagian besar" to the rater's judgement, so the engine only
proposes; an override must say why, and both the proposal and the decision are kept.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import EKSPEKTASI_LEVELS, label
from app.models import AspectLevel, Employee, Evaluation
from app.services import audit
from app.services.access import is_direct_supervisor, role_wide
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.appraisal.evaluations import evaluate_employee
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.public import confidentiality
from app.services.unit_of_work import unit_of_work

STALE = "Tingkat aspek telah diubah oleh pengguna lain; muat ulang halaman."


def proposed_level(evaluation: Evaluation | None, aspect: str) -> str | None:
    """The engine's own proposal for an aspect (before any confirmation)."""
    if evaluation is None:
        return None
    facts = (evaluation.result or {}).get("aspects", {}).get(aspect) or {}
    return facts.get("proposed") or facts.get("level")


@unit_of_work(stale=STALE)
def decide_level(
    session: Session,
    actor: Actor,
    period_id: int,
    ratee_id: int,
    aspect: str,
    level: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Evaluation:
    """Record the supervisor's level for an aspect and re-evaluate the employee."""
    period = periods.get_period(session, period_id)
    ratee = session.get(Employee, ratee_id)
    if ratee is None or not (is_direct_supervisor(actor, ratee) or role_wide(actor)):
        raise NotFound("Pegawai tidak ditemukan.")
    if not is_direct_supervisor(actor, ratee):
        raise Forbidden("Hanya atasan langsung yang menetapkan tingkat aspek.")
    periods.ensure_open(period)
    if level not in EKSPEKTASI_LEVELS:
        raise InvalidInput(f"Tingkat '{level}' tidak dikenal.", field="level")
    evaluation = session.scalar(
        select(Evaluation).where(
            Evaluation.period_id == period.id, Evaluation.employee_id == ratee.id
        )
    )
    proposal = proposed_level(evaluation, aspect)
    if proposal is None or evaluation is None:  # (no evaluation: no proposal)
        raise InvalidInput(
            "Ajukan penilaian terlebih dahulu; belum ada usulan tingkat aspek.", field="aspect"
        )
    reason = (reason or "").strip() or None
    if level != proposal and reason is None:
        # the proposal is named only when the actor may read it (confidentiality)
        shown = confidentiality.shown_evaluation(session, actor, evaluation).result
        named = ((shown.get("aspects") or {}).get(aspect) or {}).get("proposed") == proposal
        raise InvalidInput(
            f"Tingkat berbeda dari usulan ({label(proposal)}); alasan wajib diisi."
            if named
            else "Tingkat berbeda dari usulan aturan; alasan wajib diisi.",
            field="reason",
        )
    row = session.scalar(
        select(AspectLevel).where(
            AspectLevel.period_id == period.id,
            AspectLevel.employee_id == ratee.id,
            AspectLevel.aspect == aspect,
        )
    )
    if row is not None and expected_version is not None and row.lock_version != expected_version:
        raise Conflict(STALE)
    if row is None:
        row = AspectLevel(period_id=period.id, employee_id=ratee.id, aspect=aspect)
        session.add(row)
    row.level, row.proposed_level, row.reason = level, proposal, reason
    row.decided_by_id = actor.employee_id
    session.flush()
    audit.describe(
        session,
        "aspek.tetapkan",
        actor,
        reason=reason,
        subject_type="employee",
        subject_id=ratee.id,
        facts={"aspect": aspect, "level": level, "proposed": proposal},
    )
    result = evaluate_employee(session, period, ratee.id)
    return result
