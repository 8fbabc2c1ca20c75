"""Periods: their definition, their lifecycle and which one a page shows.

- Definition: a period is created and changed only through `create_period` / `update_period`,
  which check, in Indonesian and before the database does, that the end follows the start, the
  length fits the kind and no other period of the same kind overlaps (panel, API and CLI alike).
- Lifecycle: draft -> open -> review -> closed, reopen by Kepegawaian with a reason. Moving to
  review before everyone is completely rated needs a reason too (`progress.readiness`).
  Every write path goes through `ensure_writable`, so a closed period is immutable however it
  is reached.
- Choice: `period_choice` is the one rule for the period a page shows by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select, true, union
from sqlalchemy.orm import Session

from app.domain.dates import add_months
from app.domain.enums import PERIOD_KINDS, PeriodState, RulesetStatus, label
from app.domain.wording import short_date
from app.models import PeerAssignment, Period, RuleSetVersion, Skp
from app.models.base import utcnow
from app.services import audit
from app.services.access import subordinates_of
from app.services.actor import Actor
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.reports import progress
from app.services.unit_of_work import unit_of_work

# How many calendar months a period of each kind spans.
KIND_MONTHS: dict[str, int] = {"bulanan": 1, "triwulanan": 3, "semesteran": 6, "tahunan": 12}
NAME_MAX = 100

TRANSITIONS: dict[tuple[str, str], str] = {
    (PeriodState.DRAFT, PeriodState.OPEN): "buka",
    (PeriodState.OPEN, PeriodState.REVIEW): "tinjau",
    (PeriodState.REVIEW, PeriodState.OPEN): "buka_kembali_penilaian",
    (PeriodState.REVIEW, PeriodState.CLOSED): "tutup",
    (PeriodState.CLOSED, PeriodState.REVIEW): "buka_kembali",
}


def get_period(session: Session, period_id: int) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("Periode tidak ditemukan.")
    return period


def ensure_writable(period: Period) -> None:
    """Refuse any change to what a closed period holds."""
    if period.state == PeriodState.CLOSED:
        raise Conflict(
            f"Periode '{period.name}' sudah ditutup; datanya tidak dapat diubah.", field="period"
        )


def ensure_open(period: Period) -> None:
    """Ratings and SKP work happen only while the period is open."""
    ensure_writable(period)
    if period.state != PeriodState.OPEN:
        raise Conflict(
            f"Periode '{period.name}' berstatus {label(period.state)}; penilaian hanya dapat "
            "diisi saat periode dibuka.",
            field="period",
        )


@dataclass(frozen=True)
class PeriodDraft:
    """What a person types to define a period; dates already parsed (None: missing or
    unreadable)."""

    name: str
    kind: str
    start_date: date | None
    end_date: date | None


class InvalidPeriod(InvalidInput):
    """A period definition that breaks one or more rules; `problems` maps each form field to its
    message, so a form can show every message beside its field at once."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()), field=next(iter(problems)))
        self.problems = problems

    def as_dict(self) -> dict[str, object]:
        return {"message": {name: [text] for name, text in self.problems.items()}}


def expected_end(kind: str, start: date) -> date:
    """The last day of a period of `kind` that starts on `start`."""
    return add_months(start, KIND_MONTHS[kind]) - timedelta(days=1)


def period_problems(
    session: Session, draft: PeriodDraft, period_id: int | None = None
) -> dict[str, str]:
    """Every rule the definition breaks, by field (empty when it is acceptable). `period_id` is
    the period being changed, which neither clashes with its own name nor overlaps itself."""
    problems: dict[str, str] = {}
    name = draft.name.strip()
    others = Period.id != period_id if period_id is not None else true()
    if not name:
        problems["name"] = "Nama periode wajib diisi."
    elif len(name) > NAME_MAX:
        problems["name"] = f"Nama periode paling panjang {NAME_MAX} karakter."
    elif session.scalar(select(Period.id).where(func.lower(Period.name) == name.lower(), others)):
        problems["name"] = f"Nama '{name}' sudah dipakai periode lain."
    if draft.kind not in PERIOD_KINDS:
        problems["kind"] = (
            "Jenis periode harus salah satu dari: "
            + ", ".join(label(kind) for kind in PERIOD_KINDS)
            + "."
        )
    start, end = draft.start_date, draft.end_date
    if start is None:
        problems["start_date"] = "Tanggal mulai wajib diisi dengan format dd/mm/yyyy."
    if end is None:
        problems["end_date"] = "Tanggal selesai wajib diisi dengan format dd/mm/yyyy."
    if start is None or end is None:
        return problems
    if end <= start:
        problems["end_date"] = "Tanggal selesai harus sesudah tanggal mulai."
        return problems
    if "kind" in problems:
        return problems
    kind = label(draft.kind).lower()
    if start.day != 1:
        problems["start_date"] = (
            f"Periode {kind} dimulai pada tanggal 1 suatu bulan (misalnya "
            f"{short_date(start.replace(day=1))})."
        )
        return problems
    if end != expected_end(draft.kind, start):
        months = KIND_MONTHS[draft.kind]
        problems["end_date"] = (
            f"Periode {kind} berlangsung {months} bulan: yang dimulai {short_date(start)} "
            f"berakhir {short_date(expected_end(draft.kind, start))}."
        )
    clash = session.scalar(
        select(Period)
        .where(
            Period.kind == draft.kind, Period.start_date <= end, Period.end_date >= start, others
        )
        .order_by(Period.start_date)
    )
    if clash is not None:
        problems["start_date"] = (
            f"Tumpang tindih dengan periode {kind} '{clash.name}' "
            f"({short_date(clash.start_date)}–{short_date(clash.end_date)}); satu jenis "
            "periode tidak boleh berjalan dua kali pada tanggal yang sama."
        )
    return problems


def _definition(period: Period) -> dict[str, object]:
    return {
        "name": period.name,
        "kind": period.kind,
        "start_date": period.start_date.isoformat(),
        "end_date": period.end_date.isoformat(),
    }


# A constraint the checks could not foresee (another user saving the same name at the same
# moment) becomes a message, never SQL.
SAME_DEFINITION = (
    "Periode tidak dapat disimpan karena baru saja diubah atau dibuat oleh pengguna lain "
    "dengan data yang sama; muat ulang halaman dan periksa kembali."
)


def _store(
    session: Session, actor: Actor, period: Period, action: str, before: dict[str, object] | None
) -> Period:
    """Flush and audit a checked definition (the caller's unit of work commits)."""
    session.flush()
    audit.record(session, actor, action, "period", period.id, before, _definition(period))
    return period


@unit_of_work(duplicate=SAME_DEFINITION)
def create_period(session: Session, actor: Actor, draft: PeriodDraft) -> Period:
    """Kepegawaian defines a new period (state draft)."""
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat membuat periode.")
    problems = period_problems(session, draft)
    if problems:
        raise InvalidPeriod(problems)
    period = Period(
        name=draft.name.strip(),
        kind=draft.kind,
        start_date=draft.start_date,
        end_date=draft.end_date,
        state=PeriodState.DRAFT,
    )
    session.add(period)
    return _store(session, actor, period, "periode.buat", None)


@unit_of_work(duplicate=SAME_DEFINITION)
def update_period(
    session: Session,
    actor: Actor,
    period_id: int,
    draft: PeriodDraft,
    expected_version: int | None = None,
) -> Period:
    """Kepegawaian corrects a period's name, kind or dates; never once it is closed."""
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat mengubah periode.")
    period = get_period(session, period_id)
    ensure_writable(period)
    if expected_version is not None and period.lock_version != expected_version:
        raise Conflict("Periode telah diubah oleh pengguna lain; muat ulang halaman.")
    problems = period_problems(session, draft, period.id)
    if problems:
        raise InvalidPeriod(problems)
    before = _definition(period)
    assert draft.start_date is not None and draft.end_date is not None  # no problems: both given
    period.name, period.kind = draft.name.strip(), draft.kind
    period.start_date, period.end_date = draft.start_date, draft.end_date
    return _store(session, actor, period, "periode.ubah", before)


@unit_of_work()
def delete_period(session: Session, actor: Actor, period_id: int) -> None:
    """Kepegawaian removes a period created by mistake: only while it is a draft, before
    anyone could have worked in it."""
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat menghapus periode.")
    period = get_period(session, period_id)
    if period.state != PeriodState.DRAFT:
        raise Conflict(
            f"Periode '{period.name}' berstatus {label(period.state)}; hanya periode Draf "
            "yang dapat dihapus."
        )
    before = _definition(period)
    session.delete(period)
    audit.record(session, actor, "periode.hapus", "period", period_id, before, None)


def latest_published(session: Session) -> RuleSetVersion | None:
    return session.scalar(
        select(RuleSetVersion)
        .where(RuleSetVersion.status == RulesetStatus.PUBLISHED)
        .order_by(RuleSetVersion.published_at.desc(), RuleSetVersion.id.desc())
    )


def pinned_or_latest(session: Session, period: Period) -> RuleSetVersion | None:
    """The version a period's forms follow: its pinned one, else the latest published."""
    return period.ruleset_version or latest_published(session)


@unit_of_work()
def transition(
    session: Session,
    actor: Actor,
    period_id: int,
    target: str,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Period:
    """Move a period to `target`. Closing goes through `close.close_period` instead, because it
    evaluates everyone first; this function refuses it."""
    if not actor.is_hr:
        raise Forbidden("Hanya Kepegawaian yang dapat mengubah status periode.")
    period = get_period(session, period_id)
    if expected_version is not None and period.lock_version != expected_version:
        raise Conflict("Periode telah diubah oleh pengguna lain; muat ulang halaman.")
    key = (period.state, target)
    if key not in TRANSITIONS:
        raise InvalidInput(
            f"Status periode tidak dapat diubah dari {label(period.state)} ke {label(target)}.",
            field="state",
        )
    if target == PeriodState.CLOSED:
        raise InvalidInput("Gunakan proses penutupan periode (evaluasi seluruh pegawai).")
    if period.state == PeriodState.CLOSED and not (reason and reason.strip()):
        raise InvalidInput(
            "Membuka kembali periode yang ditutup wajib disertai alasan.", field="reason"
        )
    if target == PeriodState.REVIEW:
        require_reason_unless_ready(session, period, reason, "memindahkan periode ke Peninjauan")
    if target == PeriodState.OPEN and period.ruleset_version_id is None:
        version = latest_published(session)
        if version is None:
            raise InvalidInput("Belum ada aturan penilaian yang diterbitkan untuk dipasang.")
        period.ruleset_version = version
    if period.state == PeriodState.CLOSED:
        period.closed_at = None
    period.state = target
    session.flush()
    audit.describe(session, f"periode.{TRANSITIONS[key]}", actor, subject=period, reason=reason)
    return period


def require_reason_unless_ready(
    session: Session, period: Period, reason: str | None, doing: str
) -> progress.Readiness:
    """Moving on before every active employee is completely rated is a decision someone must
    own: it needs a reason (kept in the audit log). Returns the readiness it checked."""
    ready = progress.readiness(session, period.id)
    if not ready.is_complete and not (reason or "").strip():
        raise InvalidInput(
            f"{ready.sentence}. {doing[0].upper() + doing[1:]} sebelum semua pegawai lengkap "
            "dinilai wajib disertai alasan.",
            field="reason",
        )
    return ready


def mark_closed(session: Session, period: Period, reason: str | None) -> None:
    """The last step of closing (called by the close job inside its final transaction)."""
    period.state = PeriodState.CLOSED
    period.closed_at = utcnow()
    period.close_reason = reason


@dataclass
class PeriodChoice:
    """The period a page shows, the periods one may switch to, and why this one was chosen."""

    selected: Period | None
    options: list[Period] = field(default_factory=list)
    open_count: int = 0
    requested: bool = False


def _periods_with_work(session: Session, employee_id: int) -> set[int]:
    """Open periods in which the employee has something to do: their own SKP, a subordinate's
    SKP, or a colleague to give peer feedback to (one query)."""
    work = union(
        select(Skp.period_id).where(
            or_(Skp.employee_id == employee_id, Skp.employee_id.in_(subordinates_of(employee_id)))
        ),
        select(PeerAssignment.period_id).where(PeerAssignment.peer_id == employee_id),
    ).subquery()
    return set(
        session.scalars(
            select(Period.id).where(
                Period.state == PeriodState.OPEN, Period.id.in_(select(work.c[0]))
            )
        )
    )


def period_choice(
    session: Session,
    actor: Actor,
    requested_id: int | None = None,
    employee_id: int | None = None,
) -> PeriodChoice:
    """Which period a page that belongs to a period shows (SKP Saya, Kinerja Saya, Tim Saya,
    the rating list).

    A period the person asked for (from the selector) wins when it exists and is not a draft.
    Otherwise the open period the person has work in; among several, the one that started
    first. Opening a new, empty period therefore never moves anyone off the period their work
    is in: the page lists every period in its selector and says how many are open, so a switch
    is always the person's own click. With no open period: the latest period that has one.
    `employee_id` is whose work counts (default: the actor's own)."""
    options = list(
        session.scalars(
            select(Period)
            .where(Period.state != PeriodState.DRAFT)
            .order_by(Period.start_date.desc(), Period.id.desc())
        )
    )
    open_periods = sorted(
        (p for p in options if p.state == PeriodState.OPEN), key=lambda p: (p.start_date, p.id)
    )
    choice = PeriodChoice(selected=None, options=options, open_count=len(open_periods))
    if requested_id is not None:
        choice.selected = next((p for p in options if p.id == requested_id), None)
        choice.requested = choice.selected is not None
    if choice.selected is None and open_periods:
        person = employee_id if employee_id is not None else actor.employee_id
        busy = _periods_with_work(session, person) if person is not None else set()
        choice.selected = next((p for p in open_periods if p.id in busy), open_periods[0])
    if choice.selected is None and options:
        choice.selected = options[0]
    return choice
