"""Periods, indicators, rulesets, SKP, ratings and evaluations: what is appraised, and how."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.codes import rhk_key
from app.domain.enums import (
    PERIOD_KINDS,
    PERIOD_STATES,
    PREDICATES,
    RATER_KINDS,
    RATING_STATES,
    RHK_KINDS,
    RULESET_STATUSES,
    SCALES,
    SKP_STATES,
    PeriodState,
    RatingState,
    RhkKind,
    RulesetStatus,
    SkpState,
)
from app.models.base import limit, one_of, utcnow
from app.models.organisation import Employee


class RuleSetVersion(Model):
    """One immutable text of a ruleset; periods pin a version so results can be reproduced."""

    __tablename__ = "ruleset_version"
    __table_args__ = (
        one_of("status", RULESET_STATUSES, "ck_ruleset_version_status"),
        UniqueConstraint("name", "number", name="uq_ruleset_version_name_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    number: Mapped[int] = mapped_column(Integer)
    yaml_text: Mapped[str] = mapped_column(Text)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(12), default=RulesetStatus.DRAFT)
    note: Mapped[str | None] = mapped_column(String(500))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("ruleset_version.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    # Four-eyes: a second policy officer approves a draft's text before it may be published;
    # saving the draft again clears the approval.
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL", name="fk_ruleset_version_approved_by")
    )
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)

    __mapper_args__ = {"version_id_col": lock_version}

    def __repr__(self) -> str:
        return f"{self.name} v{self.number}"


class Period(Model):
    """An appraisal period; once closed it is immutable through every path."""

    __tablename__ = "period"
    __table_args__ = (
        one_of("kind", PERIOD_KINDS, "ck_period_kind"),
        one_of("state", PERIOD_STATES, "ck_period_state"),
        CheckConstraint("end_date >= start_date", name="ck_period_dates"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(8), default=PeriodState.DRAFT)
    ruleset_version_id: Mapped[int | None] = mapped_column(ForeignKey("ruleset_version.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    close_reason: Mapped[str | None] = mapped_column(Text, info=limit(2000, "Alasan"))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    ruleset_version: Mapped[RuleSetVersion | None] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    def __repr__(self) -> str:
        return self.name


class Indicator(Model):
    """A rated item: a BerAKHLAK value or a local numeric indicator (RHK are per employee)."""

    __tablename__ = "indicator"
    __table_args__ = (one_of("scale", SCALES, "ck_indicator_scale"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, info=limit(2000, "Uraian"))
    aspect: Mapped[str] = mapped_column(String(64))
    scale: Mapped[str] = mapped_column(String(16))
    rater_kinds: Mapped[str] = mapped_column(String(100), default="supervisor")
    jabatan_kinds: Mapped[str] = mapped_column(
        String(200), default="jpt,administrator,pengawas,fungsional,pelaksana"
    )
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    def __repr__(self) -> str:
        return f"{self.code} – {self.label}"


class Skp(Model):
    """An employee's performance plan (SKP) for one period."""

    __tablename__ = "skp"
    __table_args__ = (
        one_of("state", SKP_STATES, "ck_skp_state"),
        UniqueConstraint("period_id", "employee_id", name="uq_skp_period_employee"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="RESTRICT"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"))
    state: Mapped[str] = mapped_column(String(12), default=SkpState.DRAFT)
    supervisor_comment: Mapped[str | None] = mapped_column(Text, info=limit(2000, "Catatan atasan"))
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    period: Mapped[Period] = relationship()
    employee: Mapped[Employee] = relationship()
    rhk: Mapped[list[Rhk]] = relationship(back_populates="skp", order_by="Rhk.position")

    __mapper_args__ = {"version_id_col": lock_version}


class Rhk(Model):
    """A rencana hasil kerja of an SKP, with its IKI and target."""

    __tablename__ = "rhk"
    __table_args__ = (one_of("kind", RHK_KINDS, "ck_rhk_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[str] = mapped_column(String(10), default=RhkKind.UTAMA)
    text: Mapped[str] = mapped_column(Text, info=limit(1000, "Rencana hasil kerja"))
    superior_rhk: Mapped[str | None] = mapped_column(
        Text, info=limit(1000, "RHK atasan yang diintervensi")
    )
    iki: Mapped[str] = mapped_column(Text, info=limit(1000, "Indikator kinerja individu"))
    target: Mapped[str] = mapped_column(String(200))

    skp: Mapped[Skp] = relationship(back_populates="rhk")

    @property
    def code(self) -> str:
        """The RHK's name in the engine's input: stable within the SKP."""
        return rhk_key(self.position)

    def __repr__(self) -> str:
        return f"RHK {self.position}: {self.text}"


class Rating(Model):
    """One rater's value for one item (indicator or RHK) of one ratee in one period."""

    __tablename__ = "rating"
    __table_args__ = (
        one_of("rater_kind", RATER_KINDS, "ck_rating_rater_kind"),
        one_of("state", RATING_STATES, "ck_rating_state"),
        CheckConstraint(
            "(indicator_id IS NULL) <> (rhk_id IS NULL)", name="ck_rating_indicator_xor_rhk"
        ),
        CheckConstraint(
            "(value_level IS NULL) <> (value_number IS NULL)", name="ck_rating_one_value"
        ),
        UniqueConstraint(
            "period_id", "ratee_id", "rater_id", "indicator_id", name="uq_rating_indicator"
        ),
        UniqueConstraint("period_id", "ratee_id", "rater_id", "rhk_id", name="uq_rating_rhk"),
        Index("ix_rating_period_ratee", "period_id", "ratee_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="RESTRICT"))
    ratee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"))
    rater_kind: Mapped[str] = mapped_column(String(12))
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicator.id"))
    rhk_id: Mapped[int | None] = mapped_column(ForeignKey("rhk.id", ondelete="CASCADE"))
    value_level: Mapped[str | None] = mapped_column(String(32))
    value_number: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    comment: Mapped[str | None] = mapped_column(Text, info=limit(2000, "Umpan balik"))
    state: Mapped[str] = mapped_column(String(10), default=RatingState.DRAFT)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    period: Mapped[Period] = relationship()
    ratee: Mapped[Employee] = relationship(foreign_keys=[ratee_id])
    rater: Mapped[Employee] = relationship(foreign_keys=[rater_id])
    indicator: Mapped[Indicator | None] = relationship()
    rhk: Mapped[Rhk | None] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def value(self) -> str | float | None:
        """The rated value as the engine takes it: a level name or a number."""
        if self.value_level is not None:
            return self.value_level
        return float(self.value_number) if self.value_number is not None else None

    @property
    def item(self) -> str | None:
        """What was rated, in words: the indicator's name or the RHK with its text."""
        if self.indicator is not None:
            return self.indicator.label
        return repr(self.rhk) if self.rhk is not None else None

    @property
    def item_key(self) -> str:
        """The rated item as the rating forms name it: `rhk:<id>` or `indicator:<code>` (a
        rating has exactly one of them, ck_rating_indicator_xor_rhk)."""
        if self.rhk_id:
            return f"rhk:{self.rhk_id}"
        if self.indicator is None:
            raise ValueError(f"Rating {self.id} rates neither an RHK nor an indicator.")
        return f"indicator:{self.indicator.code}"


class Evaluation(Model):
    """The engine's result for one employee in one period, reproducible from its ruleset version.

    A manual override keeps the computed predikat beside the overriding one and its reason.
    """

    __tablename__ = "evaluation"
    __table_args__ = (
        one_of("predicate", PREDICATES, "ck_evaluation_predicate"),
        one_of("override_predicate", PREDICATES, "ck_evaluation_override_predicate"),
        UniqueConstraint("period_id", "employee_id", name="uq_evaluation_period_employee"),
        CheckConstraint(
            "override_predicate IS NULL OR override_reason IS NOT NULL",
            name="ck_evaluation_override_reason",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="RESTRICT"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"))
    ruleset_version_id: Mapped[int] = mapped_column(ForeignKey("ruleset_version.id"))
    status: Mapped[str] = mapped_column(String(20))
    predicate: Mapped[str | None] = mapped_column(String(20))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    override_predicate: Mapped[str | None] = mapped_column(String(20))
    override_reason: Mapped[str | None] = mapped_column(
        Text, info=limit(5000, "Alasan perubahan predikat")
    )
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    period: Mapped[Period] = relationship()
    employee: Mapped[Employee] = relationship()
    ruleset_version: Mapped[RuleSetVersion] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def final_predicate(self) -> str | None:
        """The predikat that counts: the override when one was upheld, else the computed one."""
        return self.override_predicate or self.predicate


class AuditLog(Model):
    """Who changed what, when, from what to what: one entry per user action, written by the
    session listener of app/services/audit.py (and by services for events), never edited."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("ab_user.id", ondelete="SET NULL"))
    username: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # The object's name when the entry was written (an employee "Name (NIP)", a period's name):
    # readable after the object is renamed or deleted.
    object_label: Mapped[str | None] = mapped_column(String(200))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The other rows the same action changed (a rating form's items): type, id, label,
    # operation, before, after; at most 200 kept, `item_count` tells how many there were.
    items: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    item_count: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)
