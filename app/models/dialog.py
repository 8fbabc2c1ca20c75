"""Dialog kinerja and the supervisor's ekspektasi khusus: what is said between an employee and
their pejabat penilai during a period, beside the ratings."""

from __future__ import annotations

from datetime import date, datetime

from flask_appbuilder import Model
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import DIALOG_AUTHORS, DIALOG_KINDS
from app.models.appraisal import Indicator, Skp
from app.models.base import limit, one_of, utcnow
from app.models.organisation import Employee


class DialogEntry(Model):
    """One entry of the dialog kinerja (or bimbingan kinerja) thread of an employee in a period:
    the date it took place, its topic, the notes and the follow-up agreed, written by the
    employee or by their pejabat penilai; an entry may answer an earlier one of the thread."""

    __tablename__ = "dialog_entry"
    __table_args__ = (
        one_of("kind", DIALOG_KINDS, "ck_dialog_entry_kind"),
        one_of("author_role", DIALOG_AUTHORS, "ck_dialog_entry_author_role"),
        Index("ix_dialog_entry_thread", "period_id", "employee_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="RESTRICT"))
    author_role: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(20), default="dialog_kinerja")
    held_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, info=limit(4000, "Catatan"))
    follow_up: Mapped[str | None] = mapped_column(Text, info=limit(4000, "Tindak lanjut"))
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("dialog_entry.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[Employee] = relationship(foreign_keys=[author_id])


class SkpExpectation(Model):
    """The ekspektasi khusus pimpinan for one BerAKHLAK value on an SKP (PermenPANRB 6/2022
    lampiran: the SKP's perilaku kerja part), set by the pejabat penilai."""

    __tablename__ = "skp_expectation"
    __table_args__ = (UniqueConstraint("skp_id", "indicator_id", name="uq_skp_expectation_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text, info=limit(2000, "Ekspektasi khusus"))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    skp: Mapped[Skp] = relationship()
    indicator: Mapped[Indicator] = relationship()
