"""Citizens' feedback on a unit: 1–5 stars and a comment, through a public link or QR code.

No personal data is kept: the client address is stored only as a salted SHA-256, enough to
spot a flood from one client without knowing who it was. A filled honeypot field (invisible to
people, tempting to bots) is accepted silently and stored nowhere, so a bot learns nothing.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime

import segno
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import PeriodState
from app.models import Period, PublicFeedback, Unit
from app.models.base import utcnow
from app.services.errors import InvalidInput, NotFound
from app.services.unit_of_work import unit_of_work

MAX_COMMENT = 2000


def public_unit(session: Session, code: str) -> Unit:
    """An active unit by its public code, else NotFound."""
    unit = session.scalar(select(Unit).where(Unit.code == code, Unit.is_active.is_(True)))
    if unit is None:
        raise NotFound("Unit tidak ditemukan.")
    return unit


def public_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).where(Unit.is_active.is_(True)).order_by(Unit.code)))


def client_hash(address: str | None, salt: str) -> str:
    """A salted one-way hash of the client address; the address itself is never stored."""
    return hashlib.sha256(f"{salt}|{address or '-'}".encode()).hexdigest()


def period_of(session: Session, day: date) -> Period | None:
    """The open period whose dates include `day` (feedback counts toward it)."""
    return session.scalar(
        select(Period).where(
            Period.state == PeriodState.OPEN, Period.start_date <= day, Period.end_date >= day
        )
    )


def parse_stars(value: str | int | None) -> int:
    try:
        stars = int(str(value).strip())
    except (TypeError, ValueError):
        stars = 0
    if not 1 <= stars <= 5:
        raise InvalidInput("Pilih 1 sampai 5 bintang.", field="stars")
    return stars


@unit_of_work()
def submit_feedback(
    session: Session,
    unit_code: str,
    stars: str | int | None,
    comment: str | None,
    client_address: str | None,
    salt: str,
    honeypot: str | None = None,
    now: datetime | None = None,
) -> PublicFeedback | None:
    """Store one feedback and commit; None (nothing stored) when the honeypot was filled."""
    unit = public_unit(session, unit_code)
    value = parse_stars(stars)
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise InvalidInput(f"Komentar paling banyak {MAX_COMMENT} karakter.", field="comment")
    if (honeypot or "").strip():
        return None
    moment = now or utcnow()
    period = period_of(session, moment.date())
    feedback = PublicFeedback(
        unit_id=unit.id,
        period_id=period.id if period else None,
        stars=value,
        comment=text or None,
        client_hash=client_hash(client_address, salt),
        created_at=moment,
    )
    session.add(feedback)
    return feedback


def qr_png(url: str, scale: int = 8) -> bytes:
    """A PNG QR code of the unit's public link (pure Python: no image library needed)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
