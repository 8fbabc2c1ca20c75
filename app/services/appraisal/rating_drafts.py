"""Rating form drafts: what a rater types, kept on the server as they type (one draft per rater,
ratee and period), given back when the form is opened again, and dropped once the form is
saved. An expired session or CSRF token then costs at most the last second of typing.

A draft is not a rating: it is neither audited nor evaluated, and nobody but its rater sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.domain.enums import PeriodState
from app.models import RatingDraft
from app.models.base import utcnow
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.appraisal.ratings import RatingForm, rating_form
from app.services.errors import InvalidInput
from app.services.unit_of_work import unit_of_work

MAX_COMMENT = 4000


@dataclass
class Restored:
    """A draft put back into a form: when it was last typed."""

    updated_at: datetime
    keys: list[str]


def _clean(form: RatingForm, values: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Only the form's own items, as short strings (a draft is typed text, nothing more)."""
    allowed = {item.key: item for item in form.items}
    out: dict[str, dict[str, str]] = {}
    for key, entry in values.items():
        if key not in allowed or not isinstance(entry, dict):
            continue
        value = entry.get("value")
        comment = entry.get("comment")
        value = str(value)[:32] if value not in (None, "") else ""
        comment = str(comment)[:MAX_COMMENT] if comment else ""
        if value or comment:
            out[key] = {"value": value, "comment": comment}
    return out


@unit_of_work()
def save_draft(
    session: Session, actor: Actor, period_id: int, ratee_id: int, values: dict[str, Any]
) -> datetime:
    """Keep what the rater has typed so far (the whole form's values each time)."""
    if not isinstance(values, dict):
        raise InvalidInput("Draf harus berupa pemetaan butir ke nilai.")
    form = rating_form(session, actor, period_id, ratee_id)
    periods.ensure_open(form.period)
    cleaned = _clean(form, values)
    draft = _draft(session, actor, period_id, ratee_id)
    now = utcnow()
    if draft is None:
        draft = RatingDraft(
            period_id=period_id,
            ratee_id=ratee_id,
            rater_id=actor.employee_id,
            values=cleaned,
            updated_at=now,
        )
        session.add(draft)
    else:
        draft.values = cleaned
        draft.updated_at = now
    return now


def _draft(session: Session, actor: Actor, period_id: int, ratee_id: int) -> RatingDraft | None:
    if actor.employee_id is None:
        return None
    return session.scalar(
        select(RatingDraft).where(
            RatingDraft.period_id == period_id,
            RatingDraft.ratee_id == ratee_id,
            RatingDraft.rater_id == actor.employee_id,
        )
    )


def restore(session: Session, actor: Actor, form: RatingForm) -> Restored | None:
    """Put the rater's draft into `form` (it was typed after the last save); None without one."""
    draft = _draft(session, actor, form.period.id, form.ratee.id)
    if draft is None or not draft.values or form.period.state != PeriodState.OPEN:
        return None
    restored = []
    for item in form.items:
        entry = draft.values.get(item.key)
        if not entry:
            continue
        if entry.get("value"):
            item.value = entry["value"]
        if entry.get("comment"):
            item.comment = entry["comment"]
        restored.append(item.key)
    return Restored(draft.updated_at, restored) if restored else None


@unit_of_work()
def discard(session: Session, actor: Actor, period_id: int, ratee_id: int) -> None:
    """Drop the draft once the form itself was saved."""
    if actor.employee_id is None:
        return
    session.execute(
        delete(RatingDraft).where(
            RatingDraft.period_id == period_id,
            RatingDraft.ratee_id == ratee_id,
            RatingDraft.rater_id == actor.employee_id,
        )
    )
