"""Rating use cases: the generated form, saving drafts, submitting, and the live evaluation.

Who rates whom is decided here, not in the views: the supervisor rates own subordinates, an
employee rates themself, an assigned peer rates a colleague's behaviour. Everything else is
404 (the ratee is not theirs to know about) or 403 (visible but not theirs to rate).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from app.domain.codes import PUBLIC_INDICATOR, rhk_key
from app.domain.enums import (
    EKSPEKTASI_LEVELS,
    SCALE_WORDS,
    STAR_WORDS,
    RaterKind,
    RatingState,
    RhkKind,
    SkpState,
    label,
)
from app.engine import Aspect, Scale, evaluate
from app.models import Employee, Evaluation, Indicator, PeerAssignment, Period, Rating, Rhk, Skp
from app.models.base import utcnow
from app.services import access, audit, notifications
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.appraisal.evaluations import evaluate_employee
from app.services.authoring.rulesets import engine_ruleset, ruleset_indicator_codes
from app.services.engine_input import build_inputs
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.public import confidentiality
from app.services.unit_of_work import unit_of_work

STARS = (1, 2, 3, 4, 5)  # the usual scale of the local indicators; STAR_WORDS name its points
RHK_ASPECT = "hasil_kerja"


@dataclass
class FormItem:
    """One rated item of a generated form, with the rater's current value."""

    key: str
    label: str
    aspect: str
    scale: str
    detail: str = ""
    utama: bool | None = None
    value: str | float | None = None
    comment: str | None = None
    lock_version: int | None = None
    state: str | None = None
    # An RHK scored on the ruleset's numeric scale (capaian: realisation against target, in %):
    # the range of the number asked for; None on the national ekspektasi levels.
    minimum: float | None = None
    maximum: float | None = None
    # An indicator's points: the whole numbers of its aspect's scale in the period's ruleset.
    points: tuple[int, ...] = STARS

    @property
    def numeric(self) -> bool:
        """Whether the item asks for a number in [minimum, maximum] rather than a choice."""
        return self.minimum is not None

    @property
    def options(self) -> list[tuple[str, str]]:
        """(value, words) for each point of the item's scale, highest first."""
        if self.numeric:
            return []
        if self.scale == "ekspektasi":
            return [(level, label(level)) for level in reversed(EKSPEKTASI_LEVELS)]
        if self.points == STARS:
            return [(str(star), f"{star} – {STAR_WORDS[star]}") for star in reversed(STARS)]
        return [(str(point), str(point)) for point in reversed(self.points)]

    @property
    def guidance(self) -> dict[str, str]:
        """value -> what that point means (the ekspektasi levels' descriptions)."""
        if self.scale == "ekspektasi":
            return {level: SCALE_WORDS[level] for level in EKSPEKTASI_LEVELS}
        return {}


@dataclass
class RatingForm:
    """What a rater sees for one ratee in one period."""

    period: Period
    ratee: Employee
    rater_kind: str
    items: list[FormItem]
    evaluation: Evaluation | None = None
    shown: confidentiality.Shown | None = None  # the evaluation as this rater may read it

    @property
    def submitted(self) -> bool:
        return bool(self.items) and all(item.state == RatingState.SUBMITTED for item in self.items)


@dataclass
class Entry:
    """One value the rater sends. `lock_version` is what the rater's page showed (None: new)."""

    key: str
    value: Any
    comment: str | None = None
    lock_version: int | None = None


class Incomplete(InvalidInput):
    """A submit with items left unrated; `keys` names every one of them."""

    def __init__(self, message: str, keys: list[str]) -> None:
        super().__init__(message, field="items")
        self.keys = keys


@dataclass
class SaveResult:
    saved: int
    submitted: bool
    evaluation: Evaluation | None = field(default=None)
    shown: confidentiality.Shown | None = None  # None for a peer: not theirs to read


def rater_kind_for(session: Session, actor: Actor, period: Period, ratee: Employee) -> str:
    """The actor's relation to the ratee in this period, or the refusal (404/403).

    A plain string (the member's value): it is the `rater` of the preview's engine input, whose
    fast path takes exact strings only."""
    me = actor.employee_id
    if access.is_direct_supervisor(actor, ratee):
        return RaterKind.SUPERVISOR.value
    if access.is_self(actor, ratee):
        return RaterKind.SELF.value
    if me is not None and session.scalar(
        select(PeerAssignment.id).where(
            PeerAssignment.period_id == period.id,
            PeerAssignment.ratee_id == ratee.id,
            PeerAssignment.peer_id == me,
        )
    ):
        return RaterKind.PEER.value
    if access.role_wide(actor):
        raise Forbidden("Hanya atasan langsung pegawai ini yang dapat menilainya.")
    raise NotFound("Pegawai tidak ditemukan.")


def _indicators(session: Session, period: Period, ratee: Employee, kind: str) -> list[Indicator]:
    codes = ruleset_indicator_codes(periods.pinned_or_latest(session, period))
    jabatan = ratee.position.kind
    rows = session.scalars(
        select(Indicator).where(Indicator.is_active.is_(True)).order_by(Indicator.id)
    )
    return [
        indicator
        for indicator in rows
        if kind in indicator.rater_kinds.split(",")
        and jabatan in indicator.jabatan_kinds.split(",")
        and (codes is None or indicator.code in codes)
        and indicator.code != PUBLIC_INDICATOR
    ]


def _approved_rhk(session: Session, period: Period, ratee: Employee) -> list[Rhk]:
    skp = session.scalar(select(Skp).where(Skp.period_id == period.id, Skp.employee_id == ratee.id))
    if skp is None or skp.state != SkpState.APPROVED:
        return []
    return list(skp.rhk)


def form_aspects(session: Session, period: Period) -> dict[str, Aspect]:
    """The aspects of the ruleset the period's forms follow (none without one)."""
    version = periods.pinned_or_latest(session, period)
    if version is None:
        return {}
    return dict(engine_ruleset(session, version).model.aspects)


def rhk_scale(aspects: dict[str, Aspect]) -> Scale | None:
    """The numeric scale RHK are scored on (a province scoring each RHK by its capaian against
    the target), or None when RHK are rated on ordered levels (the national ekspektasi)."""
    for aspect in aspects.values():
        if aspect.source == "rhk" and not aspect.scale.ordered:
            return aspect.scale
    return None


def _points(scale: Scale) -> tuple[int, ...]:
    """The whole numbers of a numeric scale (1 to 5 for an ordered one: not asked as points)."""
    if scale.minimum is None or scale.maximum is None:
        return STARS
    return tuple(range(math.ceil(scale.minimum), math.floor(scale.maximum) + 1)) or STARS


def _items(session: Session, period: Period, ratee: Employee, kind: str) -> list[FormItem]:
    items: list[FormItem] = []
    aspects = form_aspects(session, period)
    if kind in (RaterKind.SUPERVISOR, RaterKind.SELF):
        numeric = rhk_scale(aspects)
        for rhk in _approved_rhk(session, period, ratee):
            items.append(
                FormItem(
                    key=f"rhk:{rhk.id}",
                    label=f"{rhk.code} ({label(rhk.kind)}): {rhk.text}",
                    aspect=RHK_ASPECT,
                    scale=numeric.name if numeric else "ekspektasi",
                    detail=f"IKI: {rhk.iki} — Target: {rhk.target}",
                    utama=rhk.kind == RhkKind.UTAMA,
                    minimum=numeric.minimum if numeric else None,
                    maximum=numeric.maximum if numeric else None,
                )
            )
    for indicator in _indicators(session, period, ratee, kind):
        items.append(
            FormItem(
                key=f"indicator:{indicator.code}",
                label=indicator.label,
                aspect=indicator.aspect,
                scale=indicator.scale,
                detail=indicator.description or "",
                points=_points(aspects[indicator.aspect].scale)
                if indicator.aspect in aspects
                else STARS,
            )
        )
    return items


def _existing(session: Session, period: Period, ratee: Employee, rater_id: int) -> dict:
    rows = session.scalars(
        select(Rating)
        .where(
            Rating.period_id == period.id,
            Rating.ratee_id == ratee.id,
            Rating.rater_id == rater_id,
        )
        .options(joinedload(Rating.indicator))  # the item key reads its code
    )
    return {r.item_key: r for r in rows}


def _load(session: Session, actor: Actor, period_id: int, ratee_id: int) -> tuple:
    period = periods.get_period(session, period_id)
    ratee = session.get(Employee, ratee_id)
    if ratee is None:
        raise NotFound("Pegawai tidak ditemukan.")
    kind = rater_kind_for(session, actor, period, ratee)
    return period, ratee, kind


def rating_form(session: Session, actor: Actor, period_id: int, ratee_id: int) -> RatingForm:
    """The generated form with the rater's current values."""
    period, ratee, kind = _load(session, actor, period_id, ratee_id)
    items = _items(session, period, ratee, kind)
    existing = _existing(session, period, ratee, actor.employee_id or 0)
    for item in items:
        rating = existing.get(item.key)
        if rating is not None:
            item.value = rating.value
            item.comment = rating.comment
            item.lock_version = rating.lock_version
            item.state = rating.state
    evaluation = None
    if kind != RaterKind.PEER:
        evaluation = session.scalar(
            select(Evaluation).where(
                Evaluation.period_id == period.id, Evaluation.employee_id == ratee.id
            )
        )
    shown = confidentiality.shown_evaluation(session, actor, evaluation) if evaluation else None
    return RatingForm(
        period=period, ratee=ratee, rater_kind=kind, items=items, evaluation=evaluation, shown=shown
    )


def parse_value(item: FormItem, raw: Any) -> tuple[str | None, Decimal | None]:
    """A value on the item's scale, or InvalidInput naming the item."""
    if item.numeric:
        return None, _capaian(item, raw)
    if item.scale == "ekspektasi":
        if raw not in EKSPEKTASI_LEVELS:
            raise InvalidInput(
                f"Nilai '{raw}' untuk {item.label} harus salah satu dari: "
                + ", ".join(label(level) for level in EKSPEKTASI_LEVELS)
                + ".",
                field=item.key,
            )
        return str(raw), None
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        number = Decimal(-1)
    if number not in {Decimal(point) for point in item.points}:
        raise InvalidInput(
            f"Nilai untuk {item.label} harus bintang {item.points[0]} sampai {item.points[-1]}.",
            field=item.key,
        )
    return None, number


def _capaian(item: FormItem, raw: Any) -> Decimal:
    """An RHK's capaian: a number in the scale's range, kept to two decimals as stored (a
    decimal comma is accepted, as people in Indonesia write it)."""
    low, high = Decimal(str(item.minimum)), Decimal(str(item.maximum))
    text = str(raw).strip().replace(",", ".") if isinstance(raw, str | int | float) else ""
    try:
        number = Decimal(text) if text and not isinstance(raw, bool) else None
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not low <= number <= high:
        raise InvalidInput(
            f"Capaian untuk {item.label} harus angka {low.normalize():f} sampai "
            f"{high.normalize():f}.",
            field=item.key,
        )
    return number.quantize(Decimal("0.01"))


def _snapshot(rating: Rating) -> dict[str, Any]:
    return {
        "value": rating.value,
        "comment": rating.comment,
        "state": rating.state,
        "lock_version": rating.lock_version,
    }


@unit_of_work(
    stale="Nilai ini telah diubah oleh pengguna lain sejak halaman dibuka; muat ulang halaman.",
    duplicate="Nilai ini baru saja disimpan oleh pengguna lain; muat ulang halaman.",
)
def save_ratings(
    session: Session,
    actor: Actor,
    period_id: int,
    ratee_id: int,
    entries: list[Entry],
    submit: bool = False,
) -> SaveResult:
    """Save the rater's values (as draft, or submitted), audited as one entry, and re-evaluate the
    ratee when anything submitted changed. One transaction; nothing is stored on any error."""
    return _save(session, actor, period_id, ratee_id, entries, submit)


def _save(
    session: Session,
    actor: Actor,
    period_id: int,
    ratee_id: int,
    entries: list[Entry],
    submit: bool,
) -> SaveResult:
    period, ratee, kind = _load(session, actor, period_id, ratee_id)
    periods.ensure_open(period)
    items = {item.key: item for item in _items(session, period, ratee, kind)}
    existing = _existing(session, period, ratee, actor.employee_id or 0)
    indicator_ids = dict(session.execute(select(Indicator.code, Indicator.id)).all())
    saved = 0
    for entry in entries:
        item = items.get(entry.key)
        if item is None:
            raise InvalidInput(
                f"Butir '{entry.key}' tidak berlaku untuk penilaian ini.", field=entry.key
            )
        if entry.value in (None, ""):
            continue
        level, number = parse_value(item, entry.value)
        rating = existing.get(entry.key)
        if rating is not None and entry.lock_version is not None:
            if rating.lock_version != entry.lock_version:
                raise Conflict(
                    f"Nilai '{item.label}' telah diubah oleh pengguna lain; muat ulang halaman.",
                    field=entry.key,
                )
        before = _snapshot(rating) if rating is not None else None
        if rating is None:
            kind_of_item, ref = entry.key.split(":", 1)
            rating = Rating(
                period_id=period.id,
                ratee_id=ratee.id,
                rater_id=actor.employee_id,
                rater_kind=kind,
                indicator_id=indicator_ids[ref] if kind_of_item == "indicator" else None,
                rhk_id=int(ref) if kind_of_item == "rhk" else None,
                state=RatingState.DRAFT,
            )
            session.add(rating)
            existing[entry.key] = rating
        rating.value_level, rating.value_number = level, number
        rating.comment = (entry.comment or "").strip() or None
        session.flush()
        if before is None or before["value"] != rating.value or before["comment"] != rating.comment:
            saved += 1
    changed_submitted = (
        any(r.state == RatingState.SUBMITTED for r in existing.values()) and saved > 0
    )
    if submit:
        missing = [key for key in items if key not in existing]
        if missing:
            raise Incomplete(
                f"{len(missing)} butir belum dinilai: "
                + "; ".join(items[key].label for key in missing)
                + ".",
                missing,
            )
        for rating in existing.values():
            if rating.state != RatingState.SUBMITTED:
                rating.state = RatingState.SUBMITTED
                session.flush()
    # One audit entry for the whole form: the ratee is its object, each rating an item.
    audit.describe(
        session,
        "nilai.ajukan" if submit else "nilai.simpan",
        actor,
        subject_type="employee",
        subject_id=ratee.id,
        facts={"period_id": period.id, "rater_kind": kind},
    )
    if submit and kind == RaterKind.PEER:  # the period's progress counts answered peer requests
        session.execute(
            update(PeerAssignment)
            .where(
                PeerAssignment.period_id == period.id,
                PeerAssignment.ratee_id == ratee.id,
                PeerAssignment.peer_id == actor.employee_id,
                PeerAssignment.answered_at.is_(None),
            )
            .values(answered_at=utcnow())
        )
    evaluation = shown = None
    if submit or changed_submitted:
        evaluation = evaluate_employee(session, period, ratee.id)
    if submit and kind == RaterKind.SUPERVISOR:
        notifications.rating_finished(session, period, ratee)
    if evaluation is not None and kind != RaterKind.PEER:
        shown = confidentiality.shown_evaluation(session, actor, evaluation)
    return SaveResult(saved=saved, submitted=submit, evaluation=evaluation, shown=shown)


def preview(
    session: Session, actor: Actor, period_id: int, ratee_id: int, entries: list[Entry]
) -> dict[str, Any]:
    """The engine's result if the form's current values were submitted; nothing is stored.

    The supervisor sees the proposed aspect levels and predikat while rating.
    """
    period, ratee, kind = _load(session, actor, period_id, ratee_id)
    if kind != RaterKind.SUPERVISOR:
        raise Forbidden("Pratinjau hasil hanya tersedia bagi pejabat penilai.")
    version = periods.pinned_or_latest(session, period)
    if version is None:
        raise InvalidInput("Belum ada aturan penilaian yang diterbitkan.")
    items = {item.key: item for item in _items(session, period, ratee, kind)}
    employee_input = build_inputs(session, period, [ratee.id])[0]
    hidden: set[str] = {kind}
    if not confidentiality.sees_everything(actor):  # no probing of fewer than 3 peers' input
        counts = confidentiality.answer_counts(session, period, [ratee.id])[ratee.id]
        hidden |= set(confidentiality.withheld_kinds(counts))
    ratings = [r for r in employee_input["ratings"] if r["rater"] not in hidden]
    for entry in entries:
        item = items.get(entry.key)
        if item is None or entry.value in (None, ""):
            continue
        level, number = parse_value(item, entry.value)
        value: str | float = level if level is not None else float(number or 0)
        kind_of_item, ref = entry.key.split(":", 1)
        if kind_of_item == "indicator":
            ratings.append({"indicator": ref, "rater": kind, "value": value})
        else:
            ratings.append(
                {
                    "rhk": rhk_key(_rhk_position(session, int(ref))),
                    "utama": bool(item.utama),
                    "rater": kind,
                    "value": value,
                }
            )
    employee_input["ratings"] = ratings
    return evaluate(engine_ruleset(session, version), [employee_input])[0]


def _rhk_position(session: Session, rhk_id: int) -> int:
    return session.scalar(select(Rhk.position).where(Rhk.id == rhk_id)) or 0
