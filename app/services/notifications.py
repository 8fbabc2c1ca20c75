"""Notifications: a message for one user, kept as a row (their to-do list shows the unread ones)
and e-mailed by a worker when SMTP is configured (`KINERJA_SMTP_HOST`; off when unset).

Services call `notify` inside their own transaction, so a message exists exactly when the
change it announces was committed; the ids wait in the session until that commit, and
`app.jobs` queues their e-mail then (`committed_ids`).
"""

from __future__ import annotations

import smtplib
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.domain.enums import AppealState, PeriodState, RaterKind, RatingState, SkpState
from app.models import Appeal, Employee, Notification, Period, Rating, Skp
from app.models.base import utcnow

PENDING = "kinerja_notifications"  # session.info key: ids added in the open transaction


def notify(
    session: Session,
    user_id: int | None,
    kind: str,
    subject: str,
    body: str,
    link: str | None = None,
    dedup_key: str | None = None,
) -> Notification | None:
    """Add a message for `user_id` (nobody without an account: None). No commit.

    A `dedup_key` already used means the message went out before (a reminder): nothing is
    added."""
    if user_id is None:
        return None
    if dedup_key and session.scalar(
        select(Notification.id).where(Notification.dedup_key == dedup_key)
    ):
        return None
    row = Notification(
        user_id=user_id, kind=kind, subject=subject[:200], body=body, link=link, dedup_key=dedup_key
    )
    session.add(row)
    session.flush()
    session.info.setdefault(PENDING, []).append(row.id)
    return row


def notify_employee(
    session: Session,
    employee_id: int | None,
    kind: str,
    subject: str,
    body: str,
    link: str | None = None,
    dedup_key: str | None = None,
) -> Notification | None:
    """`notify` addressed to an employee's account, if they have one."""
    if employee_id is None:
        return None
    user_id = session.scalar(select(Employee.user_id).where(Employee.id == employee_id))
    return notify(session, user_id, kind, subject, body, link, dedup_key)


def committed_ids(session: Session) -> list[int]:
    """The ids added by the transaction that just committed (taken: asked once)."""
    return session.info.pop(PENDING, [])


def forget_pending(session: Session) -> None:
    """A rolled-back transaction's messages never existed."""
    session.info.pop(PENDING, None)


def unread(session: Session, user_id: int, limit: int = 5) -> tuple[int, list[Notification]]:
    """How many unread messages the user has, and the newest of them (the to-do list)."""
    where = (Notification.user_id == user_id, Notification.read_at.is_(None))
    count = session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
    newest = list(
        session.scalars(
            select(Notification).where(*where).order_by(Notification.id.desc()).limit(limit)
        )
    )
    return count, newest


def recent(session: Session, user_id: int, limit: int = 100) -> list[Notification]:
    """The user's messages, read or not, newest first."""
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def read(session: Session, user_id: int | None, notification_id: int) -> Notification | None:
    """The user's own message, marked read (another's: None). Commits."""
    row = session.get(Notification, notification_id)
    if row is None or user_id is None or row.user_id != user_id:
        return None
    if row.read_at is None:
        row.read_at = utcnow()
        session.commit()
    return row


def _smtp_settings() -> dict[str, Any]:
    return dict(current_app.config) if has_app_context() else {}


def mail_enabled() -> bool:
    return bool(_smtp_settings().get("KINERJA_SMTP_HOST"))


def unsent(session: Session, limit: int = 500) -> list[int]:
    """Messages not yet e-mailed (none while e-mail is off)."""
    if not mail_enabled():
        return []
    return list(
        session.scalars(
            select(Notification.id)
            .where(Notification.emailed_at.is_(None))
            .order_by(Notification.id)
            .limit(limit)
        )
    )


def send(session: Session, notification_id: int) -> bool:
    """E-mail one message to its user's address, once. Commits. False when there is nothing
    to send (e-mail off, already sent, or a user without an address)."""
    config = _smtp_settings()
    if not config.get("KINERJA_SMTP_HOST"):
        return False
    row = session.get(Notification, notification_id)
    if row is None or row.emailed_at is not None:
        return False
    from flask_appbuilder.security.sqla.models import User

    user = session.get(User, row.user_id)
    if user is None or not user.email:
        return False
    message = EmailMessage()
    message["Subject"] = row.subject
    message["From"] = config["KINERJA_MAIL_FROM"]
    message["To"] = user.email
    link = f"\n\n{config['KINERJA_PUBLIC_URL'].rstrip('/')}{row.link}" if row.link else ""
    message.set_content(f"{row.body}{link}\n\n-- \nKinerja ASN Aceh (pesan otomatis)")
    with smtplib.SMTP(
        config["KINERJA_SMTP_HOST"], int(config["KINERJA_SMTP_PORT"]), timeout=30
    ) as smtp:
        if config.get("KINERJA_SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("KINERJA_SMTP_USER"):
            smtp.login(config["KINERJA_SMTP_USER"], config["KINERJA_SMTP_PASSWORD"])
        smtp.send_message(message)
    row.emailed_at = utcnow()
    session.commit()
    return True


def _wib_today() -> date:
    return (utcnow() + timedelta(hours=7)).date()


def deadline_reminders(session: Session, today: date | None = None) -> int:
    """Remind, once per period and day, who still has work as an open period's end nears
    (`KINERJA_REMINDER_DAYS` before, and on the day): employees whose SKP is not approved,
    supervisors with a subordinate whose rating they have not submitted. Commits; returns how
    many were added."""
    today = today or _wib_today()
    days = int(_smtp_settings().get("KINERJA_REMINDER_DAYS", 3))
    added = 0
    for period in session.scalars(select(Period).where(Period.state == PeriodState.OPEN)):
        left = (period.end_date - today).days
        if left < 0 or left > days:
            continue
        when = "hari ini" if left == 0 else f"{left} hari lagi"
        pending_skp = session.execute(
            select(Employee.id, Employee.user_id)
            .outerjoin(Skp, (Skp.employee_id == Employee.id) & (Skp.period_id == period.id))
            .where(Employee.is_active.is_(True), Employee.user_id.is_not(None))
            .where((Skp.id.is_(None)) | (Skp.state != SkpState.APPROVED))
        ).all()
        for employee_id, user_id in pending_skp:
            added += bool(
                notify(
                    session,
                    user_id,
                    "pengingat_skp",
                    f"Tenggat periode {period.name}: {when}",
                    f"Periode {period.name} berakhir {when} ({period.end_date:%d/%m/%Y}). SKP Anda "
                    "belum disetujui; ajukan atau lengkapi sebelum tenggat.",
                    "/skp/",
                    f"pengingat:{period.id}:{today.isoformat()}:skp:{employee_id}",
                )
            )
        subordinate = aliased(Employee)
        rated = (
            select(Rating.id)
            .where(
                Rating.period_id == period.id,
                Rating.ratee_id == subordinate.id,
                Rating.rater_kind == RaterKind.SUPERVISOR,
                Rating.state == RatingState.SUBMITTED,
            )
            .exists()
        )
        raters = session.execute(
            select(Employee.id, Employee.user_id)
            .join(subordinate, subordinate.supervisor_id == Employee.id)
            .where(subordinate.is_active.is_(True), Employee.user_id.is_not(None), ~rated)
            .distinct()
        ).all()
        for rater_id, user_id in raters:
            added += bool(
                notify(
                    session,
                    user_id,
                    "pengingat_penilaian",
                    f"Tenggat penilaian {period.name}: {when}",
                    f"Periode {period.name} berakhir {when} ({period.end_date:%d/%m/%Y}). "
                    "Masih ada bawahan yang penilaiannya belum Anda ajukan.",
                    "/penilaian/",
                    f"pengingat:{period.id}:{today.isoformat()}:nilai:{rater_id}",
                )
            )
    session.commit()
    return added


# --- the messages of the workflow (called by the services, before their commit) -------------


def skp_submitted(session: Session, skp: Skp) -> None:
    """The supervisor has an SKP to review."""
    owner = skp.employee
    notify_employee(
        session,
        owner.supervisor_id,
        "skp_diajukan",
        f"SKP {owner.name} menunggu persetujuan",
        f"{owner.name} mengajukan SKP periode {skp.period.name}. Tinjau dan setujui "
        "atau kembalikan dengan catatan.",
        f"/skp/{skp.id}",
    )


def skp_reviewed(session: Session, skp: Skp) -> None:
    """The employee's SKP was approved or returned."""
    if skp.state == SkpState.APPROVED:
        subject, body = (
            f"SKP periode {skp.period.name} disetujui",
            "Atasan Anda menyetujui SKP Anda.",
        )
    else:
        subject = f"SKP periode {skp.period.name} dikembalikan"
        body = f"Atasan Anda mengembalikan SKP Anda dengan catatan: {skp.supervisor_comment}"
    notify_employee(session, skp.employee_id, f"skp_{skp.state}", subject, body, f"/skp/{skp.id}")


def rating_finished(session: Session, period: Period, ratee: Employee) -> None:
    """The supervisor submitted the employee's rating; the result is there to see."""
    notify_employee(
        session,
        ratee.id,
        "penilaian_selesai",
        f"Penilaian periode {period.name} selesai",
        f"Pejabat penilai telah mengajukan penilaian Anda untuk periode "
        f"{period.name}. Hasil sementara dapat dilihat di Kinerja Saya.",
        "/kinerja-saya/",
    )


def appeal_filed(session: Session, appeal: Appeal) -> None:
    """The decider (atasan pejabat penilai) has a keberatan to decide."""
    name = appeal.employee.name if appeal.employee else "Pegawai"
    notify_employee(
        session,
        appeal.decider_id,
        "keberatan_diajukan",
        f"Keberatan dari {name} menunggu keputusan",
        f"{name} mengajukan keberatan atas hasil evaluasinya. Putuskan dengan alasan.",
        "/keberatan/",
    )


def appeal_decided(session: Session, appeal: Appeal) -> None:
    """The employee's keberatan was decided."""
    verdict = "dikabulkan" if appeal.state == AppealState.DIKABULKAN else "ditolak"
    notify_employee(
        session,
        appeal.employee_id,
        f"keberatan_{verdict}",
        f"Keberatan Anda {verdict}",
        f"Keberatan Anda {verdict}. Alasan: {appeal.decision_reason}",
        "/keberatan/",
    )
