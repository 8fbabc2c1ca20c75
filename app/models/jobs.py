"""Background work as rows: a job, its chunks, and the notifications it sends.

The database, not the broker, is the record of background work. A job's `claim` holds a key
such as ``periode:7:evaluasi`` while the job is queued or running and is cleared when it ends;
the column is unique, so a second close of the same period (a double click, another browser,
another machine) fails on insert whatever the timing. Chunks are rows too: a chunk is done once,
in the transaction that stores its results, so a chunk delivered twice counts once.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import CHUNK_STATES, JOB_KINDS, JOB_STATES, ChunkState, JobState
from app.models.base import one_of, utcnow


class Job(Model):
    """One run of background work: what, for whom, how far, and what it produced."""

    __tablename__ = "job"
    __table_args__ = (
        one_of("kind", JOB_KINDS, "ck_job_kind"),
        one_of("state", JOB_STATES, "ck_job_state"),
        Index("ix_job_period_kind", "period_id", "kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    period_id: Mapped[int | None] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    #: Set while the job is queued or running, NULL afterwards; unique: one run at a time.
    claim: Mapped[str | None] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(10), default=JobState.QUEUED)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    chunks_total: Mapped[int] = mapped_column(Integer, default=0)
    chunks_done: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: A file the job takes (an uploaded workbook) or makes (the simulation's Excel file).
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_data: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class JobChunk(Model):
    """A slice of a job's work (employee ids) and, for a simulation, what the slice found."""

    __tablename__ = "job_chunk"
    __table_args__ = (
        one_of("state", CHUNK_STATES, "ck_job_chunk_state"),
        UniqueConstraint("job_id", "seq", name="uq_job_chunk_seq"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("job.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    employee_ids: Mapped[list[int]] = mapped_column(JSON)
    #: What the chunk needs beyond its ids (re-pin: the predikat before the new pin).
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default=ChunkState.PENDING)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)


class Notification(Model):
    """A message for one user: shown in their to-do list, and e-mailed when SMTP is set."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_user_read", "user_id", "read_at"),
        UniqueConstraint("dedup_key", name="uq_notification_dedup"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("ab_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(300))
    #: Set for messages that must go out once only (a deadline reminder per period and day).
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
