"""What employees and citizens add: realisation, evidence, continuous feedback, public
feedback and appeals."""

from __future__ import annotations

from datetime import datetime

from flask_appbuilder import Model
from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import APPEAL_STATES, PREDICATES, AppealState
from app.models.appraisal import Evaluation, Rhk
from app.models.base import limit, one_of, utcnow
from app.models.organisation import Employee, Unit


class Realisation(Model):
    """A monthly realisation entry against an approved RHK."""

    __tablename__ = "realisation"
    __table_args__ = (
        CheckConstraint("month BETWEEN 1 AND 12", name="ck_realisation_month"),
        UniqueConstraint("rhk_id", "year", "month", name="uq_realisation_rhk_month"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("rhk.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, info=limit(4000, "Realisasi"))
    value: Mapped[str | None] = mapped_column(String(200))
    supervisor_feedback: Mapped[str | None] = mapped_column(
        Text, info=limit(4000, "Umpan balik atasan")
    )
    feedback_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    rhk: Mapped[Rhk] = relationship()
    evidence: Mapped[list[Evidence]] = relationship(back_populates="realisation")

    __mapper_args__ = {"version_id_col": lock_version}


class Evidence(Model):
    """An uploaded bukti dukung, stored outside the static folder under a random name."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    realisation_id: Mapped[int] = mapped_column(
        ForeignKey("realisation.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id"))

    realisation: Mapped[Realisation] = relationship(back_populates="evidence")


class PublicFeedback(Model):
    """A citizen's 1–5 stars and comment for a unit (or one of its employees); no personal data:
    the client address is kept only as a salted hash, for throttling and duplicate checks."""

    __tablename__ = "public_feedback"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 1 AND 5", name="ck_public_feedback_stars"),
        Index("ix_public_feedback_unit_time", "unit_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id", ondelete="SET NULL"))
    stars: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text, info=limit(2000, "Komentar"))
    client_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    unit: Mapped[Unit] = relationship()
    employee: Mapped[Employee | None] = relationship()


class Appeal(Model):
    """A keberatan against an evaluation, decided by the rater's own supervisor."""

    __tablename__ = "appeal"
    __table_args__ = (
        one_of("state", APPEAL_STATES, "ck_appeal_state"),
        one_of("requested_predicate", PREDICATES, "ck_appeal_requested_predicate"),
        one_of("decided_predicate", PREDICATES, "ck_appeal_decided_predicate"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation.id", ondelete="CASCADE"), index=True
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    reason: Mapped[str] = mapped_column(Text, info=limit(4000, "Alasan keberatan"))
    requested_predicate: Mapped[str | None] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12), default=AppealState.DIAJUKAN)
    decider_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    decided_predicate: Mapped[str | None] = mapped_column(String(20))
    decision_reason: Mapped[str | None] = mapped_column(Text, info=limit(4000, "Alasan keputusan"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    evaluation: Mapped[Evaluation] = relationship()
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])

    __mapper_args__ = {"version_id_col": lock_version}
