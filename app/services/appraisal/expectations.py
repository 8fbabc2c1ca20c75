"""Ekspektasi khusus pimpinan: the pejabat penilai's own expectation for each BerAKHLAK value on
an employee's SKP (PermenPANRB 6/2022 lampiran: each value of the SKP's perilaku kerja carries
its panduan perilaku and a free-text "Ekspektasi Khusus Pimpinan").

The supervisor writes them while the period is not closed; the employee and the supervisor read
them on the SKP and beside each value of the rating form; Kepegawaian reads them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import PeriodState
from app.models import Indicator, Skp, SkpExpectation
from app.services import audit
from app.services.access import is_direct_supervisor
from app.services.actor import Actor
from app.services.appraisal import periods
from app.services.appraisal.skp import get_skp
from app.services.errors import Forbidden, InvalidInput
from app.services.unit_of_work import unit_of_work

BEHAVIOUR_ASPECT = "perilaku_kerja"
MAX_TEXT = 2000


@dataclass
class ValueExpectation:
    """One BerAKHLAK value of the SKP with the supervisor's expectation (empty: none yet)."""

    code: str
    label: str
    guidance: str
    text: str


def behaviour_values(session: Session) -> list[Indicator]:
    """The active BerAKHLAK values of the catalogue, in catalogue order."""
    return list(
        session.scalars(
            select(Indicator)
            .where(Indicator.aspect == BEHAVIOUR_ASPECT, Indicator.is_active.is_(True))
            .order_by(Indicator.id)
        )
    )


def _texts(session: Session, skp_id: int) -> dict[str, str]:
    rows = session.execute(
        select(Indicator.code, SkpExpectation.text)
        .join(Indicator, Indicator.id == SkpExpectation.indicator_id)
        .where(SkpExpectation.skp_id == skp_id)
    )
    return dict(rows.all())


def of_skp(session: Session, actor: Actor, skp_id: int) -> list[ValueExpectation]:
    """Every BerAKHLAK value with its expectation, for an SKP the actor may see."""
    skp = get_skp(session, actor, skp_id)
    texts = _texts(session, skp.id)
    return [
        ValueExpectation(v.code, v.label, v.description or "", texts.get(v.code, ""))
        for v in behaviour_values(session)
    ]


def for_rating(session: Session, period_id: int, employee_id: int) -> dict[str, str]:
    """Indicator code -> expectation of the employee's SKP in the period (the rating form has
    already decided who may see it)."""
    skp_id = session.scalar(
        select(Skp.id).where(Skp.period_id == period_id, Skp.employee_id == employee_id)
    )
    return _texts(session, skp_id) if skp_id is not None else {}


def may_set(actor: Actor, skp: Skp) -> bool:
    """Only the owner's pejabat penilai sets them, and only before the period is closed."""
    return is_direct_supervisor(actor, skp.employee) and skp.period.state != PeriodState.CLOSED


@unit_of_work()
def set_expectations(session: Session, actor: Actor, skp_id: int, texts: dict[str, str]) -> Skp:
    """Replace the SKP's expectations by `texts` (code -> text; empty removes one), and commit."""
    skp = get_skp(session, actor, skp_id)
    if not is_direct_supervisor(actor, skp.employee):
        raise Forbidden("Ekspektasi khusus ditetapkan oleh pejabat penilai pegawai ini.")
    periods.ensure_writable(skp.period)
    values = {v.code: v for v in behaviour_values(session)}
    unknown = sorted(set(texts) - set(values))
    if unknown:
        raise InvalidInput(
            "Nilai perilaku tidak dikenal: " + ", ".join(unknown) + ".", field="expectation"
        )
    current = {
        row.indicator_id: row
        for row in session.scalars(select(SkpExpectation).where(SkpExpectation.skp_id == skp.id))
    }
    before = _texts(session, skp.id)
    for code, raw in texts.items():
        text = (raw or "").strip()
        if len(text) > MAX_TEXT:
            raise InvalidInput(
                f"Ekspektasi khusus {values[code].label} paling banyak {MAX_TEXT} karakter.",
                field=f"expectation-{code}",
            )
        row = current.get(values[code].id)
        if not text:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(
                SkpExpectation(
                    skp_id=skp.id,
                    indicator_id=values[code].id,
                    text=text,
                    set_by_id=actor.employee_id,
                )
            )
        elif row.text != text:
            row.text, row.set_by_id = text, actor.employee_id
    session.flush()
    after = _texts(session, skp.id)
    if after != before:
        audit.record(session, actor, "skp.ekspektasi_khusus", "skp", skp.id, before, after)
    return skp
