"""The period lifecycle: draft -> open -> review -> closed, reopen by Kepegawaian with a reason.

Every write path (panel, API, CLI, other services) goes through `ensure_writable`, so a closed
period is immutable however it is reached.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import label
from app.models import Period, RuleSetVersion
from app.models.base import utcnow
from app.services import audit
from app.services.actor import Actor
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound

TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "open"): "buka",
    ("open", "review"): "tinjau",
    ("review", "open"): "buka_kembali_penilaian",
    ("review", "closed"): "tutup",
    ("closed", "review"): "buka_kembali",
}


def get_period(session: Session, period_id: int) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("Periode tidak ditemukan.")
    return period


def ensure_writable(period: Period) -> None:
    """Refuse any change to what a closed period holds."""
    if period.state == "closed":
        raise Conflict(
            f"Periode '{period.name}' sudah ditutup; datanya tidak dapat diubah.", field="period"
        )


def ensure_open(period: Period) -> None:
    """Ratings and SKP work happen only while the period is open."""
    ensure_writable(period)
    if period.state != "open":
        raise Conflict(
            f"Periode '{period.name}' berstatus {label(period.state)}; penilaian hanya dapat "
            "diisi saat periode dibuka.",
            field="period",
        )


def latest_published(session: Session) -> RuleSetVersion | None:
    return session.scalar(
        select(RuleSetVersion)
        .where(RuleSetVersion.status == "published")
        .order_by(RuleSetVersion.published_at.desc(), RuleSetVersion.id.desc())
    )


def pinned_or_latest(session: Session, period: Period) -> RuleSetVersion | None:
    """The version a period's forms follow: its pinned one, else the latest published."""
    return period.ruleset_version or latest_published(session)


def transition(
    session: Session,
    actor: Actor,
    period_id: int,
    target: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Period:
    """Move a period to `target`. Closing goes through `close.close_period` instead, because it
    evaluates everyone first; this function refuses it."""
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat mengubah status periode.")
    period = get_period(session, period_id)
    if expected_version is not None and period.lock_version != expected_version:
        raise Conflict("Periode telah diubah oleh pengguna lain; muat ulang halaman.")
    key = (period.state, target)
    if key not in TRANSITIONS:
        raise InvalidInput(
            f"Status periode tidak dapat diubah dari {label(period.state)} ke {label(target)}.",
            field="state",
        )
    if target == "closed":
        raise InvalidInput("Gunakan proses penutupan periode (evaluasi seluruh pegawai).")
    if period.state == "closed" and not (reason and reason.strip()):
        raise InvalidInput("Membuka kembali periode yang ditutup wajib disertai alasan.",
                           field="reason")  # fmt: skip
    if target == "open" and period.ruleset_version_id is None:
        version = latest_published(session)
        if version is None:
            raise InvalidInput("Belum ada aturan penilaian yang diterbitkan untuk dipasang.")
        period.ruleset_version = version
    if period.state == "closed":
        period.closed_at = None
    period.state = target
    session.flush()
    audit.describe(session, f"periode.{TRANSITIONS[key]}", actor, subject=period, reason=reason)
    session.commit()
    return period


def mark_closed(session: Session, period: Period, reason: str | None) -> None:
    """The last step of closing (called by the close job inside its final transaction)."""
    period.state = "closed"
    period.closed_at = utcnow()
    period.close_reason = reason
