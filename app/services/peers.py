"""Peer feedback: who is asked, and what the ratee may see of the answers.

A ratee sees peers' input only as an aggregate and only when at least MIN_PEERS answered, so
that no single colleague's rating can be recognised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Employee, Indicator, PeerAssignment, Rating
from app.services import audit, confidentiality, periods
from app.services.actor import Actor
from app.services.errors import Forbidden, InvalidInput, NotFound

MIN_PEERS = 3


@dataclass
class PeerSummary:
    """Aggregated peer ratings of one ratee; `shown` is False below MIN_PEERS answers."""

    answered: int
    shown: bool
    per_indicator: dict[str, dict[str, int | None]]  # None: 1 to 4 people (confidentiality)

    @property
    def answered_text(self) -> str:
        """How many answered, as the ratee may read it."""
        count = confidentiality.masked_count(self.answered)
        return "< 5" if count is None else str(count)


def _ratee_for_manager(session: Session, actor: Actor, ratee_id: int) -> Employee:
    ratee = session.get(Employee, ratee_id)
    if ratee is None:
        raise NotFound("Pegawai tidak ditemukan.")
    if actor.is_hr or (actor.employee_id and ratee.supervisor_id == actor.employee_id):
        return ratee
    if actor.employee_id == ratee.id:
        raise Forbidden("Rekan penilai ditetapkan oleh atasan atau Kepegawaian.")
    raise NotFound("Pegawai tidak ditemukan.")


def assign_peers(
    session: Session, actor: Actor, period_id: int, ratee_id: int, peer_ids: list[int]
) -> list[PeerAssignment]:
    """Ask these colleagues for peer feedback (already assigned ones are kept)."""
    period = periods.get_period(session, period_id)
    periods.ensure_open(period)
    ratee = _ratee_for_manager(session, actor, ratee_id)
    if ratee.id in peer_ids:
        raise InvalidInput("Pegawai tidak dapat menjadi rekan penilai dirinya sendiri.",
                           field="peers")  # fmt: skip
    if ratee.supervisor_id in peer_ids:
        raise InvalidInput("Atasan langsung menilai sebagai atasan, bukan sebagai rekan.",
                           field="peers")  # fmt: skip
    known = set(session.scalars(select(Employee.id).where(Employee.id.in_(peer_ids))))
    if known != set(peer_ids):
        raise InvalidInput("Sebagian rekan penilai tidak ditemukan.", field="peers")
    existing = set(
        session.scalars(
            select(PeerAssignment.peer_id).where(
                PeerAssignment.period_id == period.id, PeerAssignment.ratee_id == ratee.id
            )
        )
    )
    added = []
    for peer_id in peer_ids:
        if peer_id in existing:
            continue
        assignment = PeerAssignment(period_id=period.id, ratee_id=ratee.id, peer_id=peer_id,
                                    assigned_by=actor.username)  # fmt: skip
        session.add(assignment)
        added.append(assignment)
    session.flush()
    audit.record(session, actor, "rekan.tetapkan", "employee", ratee.id, None,
                 {"period_id": period.id, "peers": sorted(p.peer_id for p in added)})  # fmt: skip
    session.commit()
    return added


def draw_peers(
    session: Session, actor: Actor, period_id: int, ratee_id: int, count: int, seed: int | None
) -> list[PeerAssignment]:
    """Draw `count` colleagues of the same unit (not the ratee, not the supervisor)."""
    ratee = _ratee_for_manager(session, actor, ratee_id)
    candidates = list(
        session.scalars(
            select(Employee.id).where(
                Employee.unit_id == ratee.unit_id,
                Employee.is_active.is_(True),
                Employee.id != ratee.id,
                Employee.id != (ratee.supervisor_id or 0),
            ).order_by(Employee.id)
        )
    )
    if len(candidates) < count:
        raise InvalidInput(f"Unit hanya memiliki {len(candidates)} calon rekan penilai.",
                           field="count")  # fmt: skip
    chosen = random.Random(seed).sample(candidates, count)
    return assign_peers(session, actor, period_id, ratee.id, chosen)


def peer_summary(session: Session, period_id: int, ratee_id: int) -> PeerSummary:
    """Counts of peer answers per behaviour indicator and value, hidden below MIN_PEERS."""
    answered = session.scalar(
        select(func.count(func.distinct(Rating.rater_id))).where(
            Rating.period_id == period_id,
            Rating.ratee_id == ratee_id,
            Rating.rater_kind == "peer",
            Rating.state == "submitted",
        )
    ) or 0
    if answered < MIN_PEERS:
        return PeerSummary(answered=answered, shown=False, per_indicator={})
    per: dict[str, dict[str, int | None]] = {}
    rows = session.execute(
        select(Indicator.label, Rating.value_level, Rating.value_number, func.count())
        .join(Indicator, Indicator.id == Rating.indicator_id)
        .where(
            Rating.period_id == period_id,
            Rating.ratee_id == ratee_id,
            Rating.rater_kind == "peer",
            Rating.state == "submitted",
        )
        .group_by(Indicator.label, Rating.value_level, Rating.value_number)
    )
    for indicator_label, level, number, count in rows:
        value = level if level is not None else str(int(number))
        per.setdefault(indicator_label, {})[value] = confidentiality.masked_count(count)
    return PeerSummary(answered=answered, shown=True, per_indicator=per)
