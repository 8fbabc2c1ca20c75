"""What a supervisor reads beside each item of the rating form: the ratee's monthly realisation
with its evidence files (for an RHK) and the ratee's own self-assessment of that item."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.domain.enums import RaterKind
from app.domain.wording import MONTHS
from app.models import Rating, Realisation
from app.services.appraisal.ratings import RatingForm


@dataclass
class EvidenceFile:
    id: int
    name: str


@dataclass
class RealisationLine:
    month: str
    text: str
    value: str | None
    evidence: list[EvidenceFile] = field(default_factory=list)


@dataclass
class ItemContext:
    realisations: list[RealisationLine] = field(default_factory=list)
    self_value: str | float | None = None
    self_comment: str | None = None


def form_context(session: Session, form: RatingForm) -> dict[str, ItemContext]:
    """Item key -> context; only for the pejabat penilai's form (others rate without it)."""
    if form.rater_kind != RaterKind.SUPERVISOR or not form.items:
        return {}
    context: dict[str, ItemContext] = {item.key: ItemContext() for item in form.items}
    rhk_ids = [int(item.key[4:]) for item in form.items if item.key.startswith("rhk:")]
    if rhk_ids:
        entries = session.scalars(
            select(Realisation)
            .where(Realisation.rhk_id.in_(rhk_ids))
            .options(selectinload(Realisation.evidence))
            .order_by(Realisation.year, Realisation.month)
        )
        for entry in entries:
            files = [
                EvidenceFile(e.id, e.original_name) for e in entry.evidence if e.deleted_at is None
            ]
            context[f"rhk:{entry.rhk_id}"].realisations.append(
                RealisationLine(
                    f"{MONTHS[entry.month - 1]} {entry.year}", entry.text, entry.value, files
                )
            )
    own = session.scalars(
        select(Rating)
        .where(
            Rating.period_id == form.period.id,
            Rating.ratee_id == form.ratee.id,
            Rating.rater_kind == RaterKind.SELF,
        )
        .options(joinedload(Rating.indicator))  # the item key reads its code
    )
    for rating in own:
        key = rating.item_key
        if key in context:
            context[key].self_value = rating.value
            context[key].self_comment = rating.comment
    return context
