"""What a rater has typed on a rating form but not yet saved: kept on the server while typing,
so an expired session or form token never loses it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import utcnow


class RatingDraft(Model):
    """One rater's unsaved values for one ratee in one period: `values` maps an item key
    (`rhk:<id>`, `indicator:<code>`) to `{"value": ..., "comment": ...}`."""

    __tablename__ = "rating_draft"
    __table_args__ = (
        UniqueConstraint("period_id", "ratee_id", "rater_id", name="uq_rating_draft"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    ratee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    rater_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    values: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
