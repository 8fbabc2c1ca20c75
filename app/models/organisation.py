"""Units (SKPA), positions and employees: the organisation being appraised."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_appbuilder import Model
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.enums import EMPLOYEE_STATUSES, JABATAN_KINDS, JENJANG, ORGANISATION_PREDICATES
from app.domain.golongan import ALL_GOLONGAN
from app.models.base import one_of

if TYPE_CHECKING:
    from flask_appbuilder.security.sqla.models import User


class Unit(Model):
    """A unit (SKPA or one of its sub-units); units change yearly, so they are data, not code."""

    __tablename__ = "unit"
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="ck_unit_parent"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return self.name


class Position(Model):
    """A jabatan; its kind decides which indicators apply and who may rate."""

    __tablename__ = "position"
    __table_args__ = (one_of("kind", JABATAN_KINDS, "ck_position_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))

    def __repr__(self) -> str:
        return self.name


class Employee(Model):
    """An ASN (PNS or PPPK). The supervisor is the pejabat penilai kinerja."""

    __tablename__ = "employee"
    __table_args__ = (
        one_of("status", EMPLOYEE_STATUSES, "ck_employee_status"),
        one_of("golongan", ALL_GOLONGAN, "ck_employee_golongan"),
        one_of("jenjang", JENJANG, "ck_employee_jenjang"),
        CheckConstraint("length(nip) = 18", name="ck_employee_nip_length"),
        CheckConstraint(
            "supervisor_id IS NULL OR supervisor_id <> id", name="ck_employee_not_own_supervisor"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(8), default="PNS")
    golongan: Mapped[str] = mapped_column(String(8))
    # Only for a jabatan fungsional (the services refuse it elsewhere): it sets the annual
    # angka kredit coefficient.
    jenjang: Mapped[str | None] = mapped_column(String(16))
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="RESTRICT"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    supervisor_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="RESTRICT"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("ab_user.id", ondelete="SET NULL"), unique=True
    )
    is_unit_head: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    public_award_consent: Mapped[bool] = mapped_column(Boolean, default=False)

    # Lists show all three: position and unit come joined into the same query (many-to-one,
    # a primary-key join), the supervisors with one extra query per page, not one per row.
    position: Mapped[Position] = relationship(lazy="joined", innerjoin=True)
    unit: Mapped[Unit] = relationship(lazy="joined", innerjoin=True)
    supervisor: Mapped[Employee | None] = relationship(
        remote_side=[id], back_populates="subordinates", lazy="selectin", join_depth=1
    )
    subordinates: Mapped[list[Employee]] = relationship(back_populates="supervisor")
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"{self.name} ({self.nip})"


class UnitResult(Model):
    """The organisation predikat of a unit in a period; it sets the distribution pattern."""

    __tablename__ = "unit_result"
    __table_args__ = (
        one_of("predicate", ORGANISATION_PREDICATES, "ck_unit_result_predicate"),
        UniqueConstraint("period_id", "unit_id", name="uq_unit_result_period_unit"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    predicate: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(500))

    unit: Mapped[Unit] = relationship()
