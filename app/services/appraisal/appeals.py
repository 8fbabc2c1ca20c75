"""Keberatan (PP 30/2019 Ps.59): an employee contests an evaluation; the atasan pejabat
penilai (the rater's own supervisor) decides, and that decision is final.

The window opens when the period closes (the result is made final) and counts calendar days
in Asia/Jakarta time: it ends at the end of the `window_days`-th day after the closing day (14
by default, configurable). "Paling lama 14 hari" is a number of days, not of 24-hour spans: a
period closed at 16:00 WIB on 30 November may be appealed until 23:59:59 WIB on 14 December.
An upheld appeal sets the evaluation's override with the reason; the computed predikat stays
beside it. Every step is audited and the employee sees each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.domain.enums import PREDICATES, AppealState, PeriodState, label
from app.models import Appeal, AuditLog, Employee, Evaluation, Period
from app.models.base import utcnow
from app.services import audit, notifications
from app.services.access import can_reach
from app.services.actor import Actor
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.unit_of_work import unit_of_work

MAX_REASON = 4000
WIB = ZoneInfo("Asia/Jakarta")


@dataclass
class AppealStep:
    at: datetime
    action: str
    username: str | None
    reason: str | None


def decider_of(employee: Employee) -> Employee | None:
    """The atasan pejabat penilai: the supervisor's supervisor (None at the top)."""
    supervisor = employee.supervisor
    return supervisor.supervisor if supervisor is not None else None


def _wib_date(utc: datetime) -> date:
    """The calendar day in Jakarta of a stored (naive UTC) instant."""
    return utc.replace(tzinfo=UTC).astimezone(WIB).date()


def last_day(period: Period, window_days: int) -> date | None:
    """The last calendar day (WIB) on which a result of the period may still be appealed, or
    None before the period is closed."""
    closed_at = period.closed_at
    if period.state != PeriodState.CLOSED or closed_at is None:
        return None
    return _wib_date(closed_at) + timedelta(days=window_days)


def deadline(period: Period, window_days: int) -> datetime | None:
    """The first instant (naive UTC, as stored) at which an appeal is too late: the midnight
    in Jakarta that ends the last day."""
    day = last_day(period, window_days)
    if day is None:
        return None
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=WIB)
    return end.astimezone(UTC).replace(tzinfo=None)


def _reason(text: str | None, field_name: str) -> str:
    value = (text or "").strip()
    if not value:
        raise InvalidInput("Alasan wajib diisi.", field=field_name)
    if len(value) > MAX_REASON:
        raise InvalidInput(f"Alasan paling banyak {MAX_REASON} karakter.", field=field_name)
    return value


def _predicate(value: str | None, field_name: str, required: bool) -> str | None:
    value = (value or "").strip() or None
    if value is None and not required:
        return None
    if value not in PREDICATES:
        raise InvalidInput("Pilih predikat yang sah.", field=field_name)
    return value


@unit_of_work()
def file_appeal(
    session: Session,
    actor: Actor,
    evaluation_id: int,
    reason: str | None,
    requested_predicate: str | None,
    window_days: int,
    now: datetime | None = None,
) -> Appeal:
    """The employee lodges a keberatan against their own evaluation, and commit."""
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None or actor.employee_id != evaluation.employee_id:
        raise NotFound("Hasil evaluasi tidak ditemukan.")
    due = deadline(evaluation.period, window_days)
    if due is None:
        raise Conflict("Keberatan hanya dapat diajukan setelah periode ditutup.")
    if (now or utcnow()) >= due:
        raise Conflict(
            f"Batas waktu keberatan ({window_days} hari setelah periode ditutup) telah lewat."
        )
    existing = session.scalar(select(Appeal).where(Appeal.evaluation_id == evaluation.id))
    if existing is not None:
        raise Conflict("Keberatan atas hasil evaluasi ini sudah pernah diajukan.")
    body = _reason(reason, "reason")
    wanted = _predicate(requested_predicate, "requested_predicate", required=False)
    decider = decider_of(evaluation.employee)
    appeal = Appeal(
        evaluation_id=evaluation.id,
        employee_id=evaluation.employee_id,
        reason=body,
        requested_predicate=wanted,
        decider_id=decider.id if decider else None,
        state=AppealState.DIAJUKAN,
    )
    session.add(appeal)
    session.flush()
    audit.describe(
        session,
        "keberatan.ajukan",
        actor,
        subject=appeal,
        reason=body,
        facts={"predicate": evaluation.final_predicate},
    )
    notifications.appeal_filed(session, appeal)
    return appeal


def may_decide(actor: Actor, appeal: Appeal) -> bool:
    """The recorded atasan pejabat penilai; Kepegawaian only where there is none (the top of a
    unit, whose appeals go to the Gubernur's staff)."""
    if appeal.decider_id is not None:
        return actor.employee_id == appeal.decider_id
    return actor.is_hr


def get_appeal(session: Session, actor: Actor, appeal_id: int) -> Appeal:
    """An appeal the actor may see (the appellant, the decider, HR, the supervisor chain)."""
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound("Keberatan tidak ditemukan.")
    if may_decide(actor, appeal) or can_reach(session, actor, appeal.employee):
        return appeal
    raise NotFound("Keberatan tidak ditemukan.")


@unit_of_work()
def decide_appeal(
    session: Session,
    actor: Actor,
    appeal_id: int,
    uphold: bool,
    reason: str | None,
    predicate: str | None = None,
) -> Appeal:
    """The atasan pejabat penilai upholds (with the predikat that now counts) or rejects."""
    appeal = get_appeal(session, actor, appeal_id)
    if not may_decide(actor, appeal):
        raise Forbidden("Keberatan ini diputuskan oleh atasan pejabat penilai.")
    if appeal.state != AppealState.DIAJUKAN:
        raise Conflict("Keberatan ini sudah diputuskan; keputusan bersifat final.")
    body = _reason(reason, "decision_reason")
    evaluation = appeal.evaluation
    if uphold:
        decided = _predicate(predicate or appeal.requested_predicate, "decided_predicate", True)
        evaluation.override_predicate = decided
        evaluation.override_reason = f"Keberatan dikabulkan: {body}"
        audit.describe(
            session,
            "keberatan.dikabulkan",
            actor,
            facts={"computed_predicate": evaluation.predicate},
        )
        appeal.decided_predicate = decided
        appeal.state = AppealState.DIKABULKAN
    else:
        appeal.state = AppealState.DITOLAK
    appeal.decision_reason = body
    appeal.decided_at = utcnow()
    if appeal.decider_id is None:
        appeal.decider_id = actor.employee_id
    session.flush()
    audit.describe(session, f"keberatan.{appeal.state}", actor, subject=appeal, reason=body)
    notifications.appeal_decided(session, appeal)
    return appeal


def appeals_of(session: Session, actor: Actor) -> tuple[list[Appeal], list[Appeal]]:
    """(the actor's own appeals, the appeals the actor is to decide or has decided)."""
    own: list[Appeal] = []
    if actor.employee_id is not None:
        own = list(
            session.scalars(
                select(Appeal)
                .where(Appeal.employee_id == actor.employee_id)
                .order_by(Appeal.created_at.desc())
            )
        )
    clauses = []
    if actor.employee_id is not None:
        clauses.append(Appeal.decider_id == actor.employee_id)
    if actor.is_hr:
        clauses.append(Appeal.decider_id.is_(None))
        clauses.append(Appeal.state == AppealState.DIAJUKAN)
    to_decide = []
    if clauses:
        to_decide = list(
            session.scalars(
                select(Appeal).where(or_(*clauses)).order_by(Appeal.state, Appeal.created_at)
            )
        )
    return own, to_decide


def steps(session: Session, appeal: Appeal) -> list[AppealStep]:
    """The audited steps of one appeal, oldest first, as the employee reads them."""
    rows = session.scalars(
        select(AuditLog)
        .where(AuditLog.object_type == "appeal", AuditLog.object_id == appeal.id)
        .order_by(AuditLog.at, AuditLog.id)
    )
    names = {
        "keberatan.ajukan": "Keberatan diajukan",
        "keberatan.dikabulkan": "Keberatan dikabulkan",
        "keberatan.ditolak": "Keberatan ditolak",
    }
    return [
        AppealStep(row.at, names.get(row.action, row.action), row.username, row.reason)
        for row in rows
    ]


def describe(appeal: Appeal) -> str:
    """One line for lists: state and, when upheld, the predikat that now counts."""
    if appeal.state == AppealState.DIKABULKAN:
        return f"Dikabulkan: predikat menjadi {label(appeal.decided_predicate)}"
    outcome: dict[str, str] = {
        AppealState.DIAJUKAN: "Menunggu keputusan",
        AppealState.DITOLAK: "Ditolak",
    }
    return outcome.get(appeal.state, appeal.state)
