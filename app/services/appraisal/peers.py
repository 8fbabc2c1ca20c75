"""Peer feedback: who is asked, and what the ratee may see of the answers.

A ratee sees peers' input only as an aggregate and only when at least MIN_PEERS answered, so
that no single colleague's rating can be recognised. Peers are chosen by the ratee's pejabat
penilai (own subordinates only) or by Kepegawaian (anyone); the ratee never learns who they are.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, delete, false, func, select, true
from sqlalchemy.orm import Session

from app.domain.enums import RaterKind, RatingState
from app.models import Employee, Indicator, PeerAssignment, Period, Position, Rating, Unit
from app.services import audit
from app.services.access import is_direct_supervisor, is_self, role_wide, subordinates_of
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.public import confidentiality
from app.services.unit_of_work import unit_of_work

MIN_PEERS = 3
MAX_CANDIDATES = 500  # a unit's colleagues offered in the form; drawing at random sees them all


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
    if role_wide(actor) or is_direct_supervisor(actor, ratee):
        return ratee
    if is_self(actor, ratee):
        raise Forbidden("Rekan penilai ditetapkan oleh atasan atau Kepegawaian.")
    raise NotFound("Pegawai tidak ditemukan.")


@unit_of_work()
def assign_peers(
    session: Session, actor: Actor, period_id: int, ratee_id: int, peer_ids: list[int]
) -> list[PeerAssignment]:
    """Ask these colleagues for peer feedback (already assigned ones are kept)."""
    period = periods.get_period(session, period_id)
    periods.ensure_open(period)
    ratee = _ratee_for_manager(session, actor, ratee_id)
    if not peer_ids:
        raise InvalidInput("Pilih sekurang-kurangnya satu rekan penilai.", field="peers")
    if ratee.id in peer_ids:
        raise InvalidInput(
            "Pegawai tidak dapat menjadi rekan penilai dirinya sendiri.", field="peers"
        )
    if ratee.supervisor_id in peer_ids:
        raise InvalidInput(
            "Atasan langsung menilai sebagai atasan, bukan sebagai rekan.", field="peers"
        )
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
        assignment = PeerAssignment(
            period_id=period.id, ratee_id=ratee.id, peer_id=peer_id, assigned_by=actor.username
        )
        session.add(assignment)
        added.append(assignment)
    session.flush()
    audit.describe(
        session,
        "rekan.tetapkan",
        actor,
        subject_type="employee",
        subject_id=ratee.id,
        facts={"period_id": period.id, "peers": sorted(p.peer_id for p in added)},
    )
    return added


def draw_peers(
    session: Session, actor: Actor, period_id: int, ratee_id: int, count: int, seed: int | None
) -> list[PeerAssignment]:
    """Draw `count` more colleagues of the same unit (not the ratee, not the supervisor, not
    those already asked)."""
    ratee = _ratee_for_manager(session, actor, ratee_id)
    asked = select(PeerAssignment.peer_id).where(
        PeerAssignment.period_id == period_id, PeerAssignment.ratee_id == ratee.id
    )
    candidates = list(
        session.scalars(
            select(Employee.id)
            .where(
                Employee.unit_id == ratee.unit_id,
                Employee.is_active.is_(True),
                Employee.id != ratee.id,
                Employee.id != (ratee.supervisor_id or 0),
                Employee.id.not_in(asked),
            )
            .order_by(Employee.id)
        )
    )
    if count < 1:
        raise InvalidInput("Jumlah rekan yang diundi sekurang-kurangnya 1.", field="count")
    if len(candidates) < count:
        raise InvalidInput(
            f"Unit hanya memiliki {len(candidates)} calon rekan penilai lagi.", field="count"
        )
    chosen = random.Random(seed).sample(candidates, count)
    return assign_peers(session, actor, period_id, ratee.id, chosen)


def peer_summary(session: Session, period_id: int, ratee_id: int) -> PeerSummary:
    """Counts of peer answers per behaviour indicator and value, hidden below MIN_PEERS."""
    answered = (
        session.scalar(
            select(func.count(func.distinct(Rating.rater_id))).where(
                Rating.period_id == period_id,
                Rating.ratee_id == ratee_id,
                Rating.rater_kind == RaterKind.PEER,
                Rating.state == RatingState.SUBMITTED,
            )
        )
        or 0
    )
    if answered < MIN_PEERS:
        return PeerSummary(answered=answered, shown=False, per_indicator={})
    per: dict[str, dict[str, int | None]] = {}
    rows = session.execute(
        select(Indicator.label, Rating.value_level, Rating.value_number, func.count())
        .join(Indicator, Indicator.id == Rating.indicator_id)
        .where(
            Rating.period_id == period_id,
            Rating.ratee_id == ratee_id,
            Rating.rater_kind == RaterKind.PEER,
            Rating.state == RatingState.SUBMITTED,
        )
        .group_by(Indicator.label, Rating.value_level, Rating.value_number)
    )
    for indicator_label, level, number, count in rows:
        if level is not None:
            value = level
        elif number is not None:
            value = str(int(number))
        else:  # ck_rating_one_value: every rating holds a level or a number
            raise ValueError(f"A peer answer to '{indicator_label}' without a value.")
        per.setdefault(indicator_label, {})[value] = confidentiality.masked_count(count)
    return PeerSummary(answered=answered, shown=True, per_indicator=per)


@dataclass
class RateeRow:
    """One ratee on the peers screen: how many peers are asked and how many answered."""

    ratee_id: int
    name: str
    nip: str
    unit: str
    assigned: int
    answered: int


@dataclass
class PeerRow:
    """One assigned peer of a ratee."""

    peer_id: int
    name: str
    nip: str
    position: str
    answered: bool
    assigned_by: str | None


@dataclass
class PeerPlan:
    """A ratee's peers in a period, and the colleagues who could still be asked."""

    period: Period
    ratee: Employee
    peers: list[PeerRow]
    candidates: list[tuple[int, str, str]]  # (id, name, position)

    @property
    def answered(self) -> int:
        return sum(1 for peer in self.peers if peer.answered)


def ratees(
    session: Session, actor: Actor, period_id: int, unit_id: int | None = None
) -> list[RateeRow]:
    """The people whose peers the actor chooses: Kepegawaian those of the chosen unit, a
    pejabat penilai their own active subordinates. One aggregate query."""
    period = periods.get_period(session, period_id)
    if actor.is_hr and unit_id is not None:
        scope = Employee.unit_id == unit_id
    elif actor.employee_id is not None:
        scope = Employee.id.in_(subordinates_of(actor.employee_id))
    else:
        return []
    assigned = (
        select(func.count(PeerAssignment.id))
        .where(PeerAssignment.period_id == period.id, PeerAssignment.ratee_id == Employee.id)
        .correlate(Employee)
        .scalar_subquery()
    )
    answered = (
        select(func.count(PeerAssignment.id))
        .where(
            PeerAssignment.period_id == period.id,
            PeerAssignment.ratee_id == Employee.id,
            PeerAssignment.answered_at.is_not(None),
        )
        .correlate(Employee)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Employee.id, Employee.name, Employee.nip, Unit.name, assigned, answered)
        .join(Unit, Unit.id == Employee.unit_id)
        .where(scope, Employee.is_active.is_(True))
        .order_by(Employee.name, Employee.id)
    )
    return [RateeRow(*row) for row in rows]


def peer_plan(session: Session, actor: Actor, period_id: int, ratee_id: int) -> PeerPlan:
    """A ratee's peers (answered or not) and the candidates of the same unit."""
    period = periods.get_period(session, period_id)
    ratee = _ratee_for_manager(session, actor, ratee_id)
    peer = Employee
    rows = session.execute(
        select(
            peer.id,
            peer.name,
            peer.nip,
            Position.name,
            PeerAssignment.answered_at.is_not(None),
            PeerAssignment.assigned_by,
        )
        .join(
            PeerAssignment,
            and_(
                PeerAssignment.peer_id == peer.id,
                PeerAssignment.period_id == period.id,
                PeerAssignment.ratee_id == ratee.id,
            ),
        )
        .join(Position, Position.id == peer.position_id)
        .order_by(peer.name)
    )
    peers = [PeerRow(*row) for row in rows]
    taken = {p.peer_id for p in peers} | {ratee.id, ratee.supervisor_id or 0}
    candidates = [
        (cid, name, position)
        for cid, name, position in session.execute(
            select(Employee.id, Employee.name, Position.name)
            .join(Position, Position.id == Employee.position_id)
            .where(Employee.unit_id == ratee.unit_id, Employee.is_active.is_(True))
            .order_by(Employee.name)
            .limit(MAX_CANDIDATES + len(taken))
        )
        if cid not in taken
    ][:MAX_CANDIDATES]
    return PeerPlan(period=period, ratee=ratee, peers=peers, candidates=candidates)


@unit_of_work()
def remove_peer(
    session: Session, actor: Actor, period_id: int, ratee_id: int, peer_id: int
) -> None:
    """Withdraw a request that has not been answered (an answer given stays counted)."""
    period = periods.get_period(session, period_id)
    periods.ensure_open(period)
    ratee = _ratee_for_manager(session, actor, ratee_id)
    assignment = session.scalar(
        select(PeerAssignment).where(
            PeerAssignment.period_id == period.id,
            PeerAssignment.ratee_id == ratee.id,
            PeerAssignment.peer_id == peer_id,
        )
    )
    if assignment is None:
        raise NotFound("Rekan penilai tidak ditemukan.")
    if session.scalar(
        select(func.count(Rating.id)).where(
            Rating.period_id == period.id,
            Rating.ratee_id == ratee.id,
            Rating.rater_id == peer_id,
            Rating.rater_kind == RaterKind.PEER,
        )
    ):
        raise Conflict("Rekan ini sudah mengisi masukan; permintaannya tidak dapat dibatalkan.")
    session.execute(delete(PeerAssignment).where(PeerAssignment.id == assignment.id))
    audit.record(
        session,
        actor,
        "rekan.batalkan",
        "employee",
        ratee.id,
        {"period_id": period.id, "peer": peer_id},
        None,
    )


def visible_assignments(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause on PeerAssignment: what the peers screen shows the actor: everything for
    Kepegawaian, the assignments of own subordinates for a pejabat penilai, nothing else (a
    ratee never learns who their peers are)."""
    if actor.is_hr:
        return true()
    if actor.employee_id is None:
        return false()
    return PeerAssignment.ratee_id.in_(subordinates_of(actor.employee_id))
