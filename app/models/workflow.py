"""Workflow records around the ratings: peer assignments and confirmed aspect levels."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import EKSPEKTASI_LEVELS
from app.models.appraisal import Period
from app.models.base import limit, one_of, utcnow
from app.models.organisation import Employee


class PeerAssignment(Model):
    """A colleague asked to give peer feedback on a ratee's behaviour in a period."""

    __tablename__ = "peer_assignment"
    __table_args__ = (
        UniqueConstraint("period_id", "ratee_id", "peer_id", name="uq_peer_assignment"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    ratee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    peer_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    assigned_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # When the peer first submitted their answer (the ratings stay the record of what).
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)

    period: Mapped[Period] = relationship()
    ratee: Mapped[Employee] = relationship(foreign_keys=[ratee_id])
    peer: Mapped[Employee] = relationship(foreign_keys=[peer_id])


class AspectLevel(Model):
    """The supervisor's confirmation or override of the engine's proposed aspect level."""

    __tablename__ = "aspect_level"
    __table_args__ = (
        one_of("level", EKSPEKTASI_LEVELS, "ck_aspect_level_level"),
        UniqueConstraint("period_id", "employee_id", "aspect", name="uq_aspect_level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    aspect: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(32))
    proposed_level: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(Text, info=limit(2000, "Alasan"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": lock_version}
