"""How far an open period is, and whether it is ready to move on.

Kepegawaian sees every SKPA (a top-level unit with its sub-units); a pejabat penilai sees the
same figures for their own direct subordinates. Panel, REST API and Excel download all read
through `period_progress` / `behind`, so they show the same rows to the same person.

Every figure comes from aggregate queries: the active employees joined to their SKP and
evaluation of the period, grouped by unit (the per-SKPA table) and by supervisor (who is
behind, ranked and cut in the database); the peer assignments grouped by unit. Nothing is read
per employee, so the page costs the same four queries for 195 employees or 40,000.

The employees counted are the active ones with a pejabat penilai: someone without one cannot be
rated in the cycle (they are counted apart, and the workspace asks Kepegawaian to name one).
"Lengkap" (completely rated) means the employee's stored evaluation of the period has the
status `lengkap`: the engine found every aspect it requires rated. It is the same test the close
applies, so "182 dari 195 pegawai lengkap" is the number of people who will get a predikat.
"""

from __future__ import annotations

import io
import threading
import time
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta

from openpyxl import Workbook
from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import ColumnElement

from app.domain.enums import EvaluationStatus, SkpState, label
from app.models import Employee, Evaluation, PeerAssignment, Period, Skp, Unit
from app.services.access import has_subordinates, role_wide
from app.services.actor import Actor
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.people import organisation

NO_UNIT = 0  # the SKPA key of employees without a unit
PAGE_SIZE = 50
SUPERVISORS_SHOWN = 20

# What the drill-down lists: key -> (title, who).
BEHIND_KINDS: dict[str, str] = {
    "belum_lengkap": "Pegawai yang belum lengkap dinilai",
    "skp_belum_ada": "Pegawai yang belum membuat SKP",
    "skp_draf": "SKP yang masih draf atau dikembalikan",
    "skp_diajukan": "SKP yang menunggu persetujuan atasan",
    "rekan_belum": "Pegawai yang rekan penilainya belum semua menjawab",
}


def number(value: int) -> str:
    """A count as Indonesians write it: 40.000."""
    return f"{value:,}".replace(",", ".")


@dataclass
class Counts:
    """The figures of one group of employees (an SKPA, a team, the province)."""

    employees: int = 0
    skp_draft: int = 0  # draft or returned: still with the employee
    skp_submitted: int = 0  # waiting for the supervisor
    skp_approved: int = 0
    complete: int = 0  # evaluation `lengkap`
    peers_assigned: int = 0
    peers_answered: int = 0

    @property
    def skp_missing(self) -> int:
        return self.employees - self.skp_draft - self.skp_submitted - self.skp_approved

    @property
    def incomplete(self) -> int:
        return self.employees - self.complete

    @property
    def percent_complete(self) -> int:
        return round(100 * self.complete / self.employees) if self.employees else 0

    def add(self, other: Counts) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))

    def as_dict(self) -> dict[str, int]:
        return {
            **{item.name: getattr(self, item.name) for item in fields(self)},
            "skp_missing": self.skp_missing,
            "incomplete": self.incomplete,
        }


@dataclass(frozen=True)
class Readiness:
    """How many active employees are completely rated, out of how many."""

    total: int
    complete: int

    @property
    def is_complete(self) -> bool:
        return self.complete >= self.total

    @property
    def sentence(self) -> str:
        return f"{number(self.complete)} dari {number(self.total)} pegawai lengkap dinilai"


@dataclass
class UnitProgress:
    unit_id: int
    code: str
    name: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class SupervisorBehind:
    """A pejabat penilai with subordinates not yet completely rated."""

    employee_id: int
    name: str
    nip: str
    incomplete: int
    skp_waiting: int


@dataclass
class Progress:
    period: Period
    scope: str  # "provinsi" (Kepegawaian) or "tim" (a pejabat penilai's subordinates)
    units: list[UnitProgress]
    total: Counts
    supervisors: list[SupervisorBehind]
    without_supervisor: int  # organisation.without_supervisor(): nobody can rate them yet
    computed_at: datetime

    @property
    def computed_wib(self) -> str:
        """When the figures were counted, in Aceh's time (WIB, UTC+7)."""
        return (self.computed_at + timedelta(hours=7)).strftime("%H.%M.%S WIB")

    @property
    def readiness(self) -> Readiness:
        return Readiness(total=self.total.employees, complete=self.total.complete)


Figures = tuple[list[UnitProgress], Counts, list[SupervisorBehind], int]


@dataclass
class BehindRow:
    employee_id: int
    nip: str
    name: str
    unit: str
    supervisor: str
    skp_state: str | None
    evaluation_status: str | None


@dataclass
class BehindPage:
    kind: str
    title: str
    unit_name: str | None
    rows: list[BehindRow]
    total: int
    page: int
    pages: int


def _scope(session: Session, actor: Actor) -> int | None:
    """None for Kepegawaian (everyone); the actor's employee id for a pejabat penilai with
    subordinates; anyone else may not see progress."""
    if role_wide(actor):
        return None
    if has_subordinates(session, actor):
        return actor.employee_id
    raise Forbidden(
        "Kemajuan periode dapat dilihat oleh Kepegawaian, dan oleh pejabat penilai untuk "
        "bawahannya."
    )


def may_see(session: Session, actor: Actor) -> bool:
    """Whether the actor may see a period's progress (pages show the link only then)."""
    try:
        _scope(session, actor)
    except Forbidden:
        return False
    return True


def _period(session: Session, period_id: int) -> Period:
    period = session.get(Period, period_id)
    if period is None:
        raise NotFound("Periode tidak ditemukan.")
    return period


def _in_scope(supervisor_id: int | None) -> ColumnElement[bool]:
    """The employees a period's progress is about: active, with a pejabat penilai (someone
    without one cannot be rated in the cycle; the workspace asks Kepegawaian to name one), and
    for a supervisor only their own subordinates."""
    rated = and_(Employee.is_active.is_(True), Employee.supervisor_id.is_not(None))
    return rated if supervisor_id is None else and_(rated, Employee.supervisor_id == supervisor_id)


def _complete_evaluation(period_id: int) -> ColumnElement[bool]:
    return and_(
        Evaluation.employee_id == Employee.id,
        Evaluation.period_id == period_id,
        Evaluation.status == EvaluationStatus.COMPLETE,
    )


def readiness(session: Session, period_id: int, supervisor_id: int | None = None) -> Readiness:
    """Employees to be rated (of one supervisor, or all) and how many are completely rated."""
    total, complete = session.execute(
        select(func.count(Employee.id), func.count(Evaluation.id))
        .select_from(Employee)
        .outerjoin(Evaluation, _complete_evaluation(period_id))
        .where(_in_scope(supervisor_id))
    ).one()
    return Readiness(total=total, complete=complete)


def _skpa_of(session: Session) -> tuple[dict[int, int], dict[int, tuple[str, str]]]:
    """Each unit's top-level unit (its SKPA), and each SKPA's code and name."""
    rows = session.execute(select(Unit.id, Unit.parent_id, Unit.code, Unit.name)).all()
    parents = {unit_id: parent for unit_id, parent, _, _ in rows}
    roots: dict[int, int] = {}
    for unit_id in parents:
        current, hops = unit_id, 0
        while (parent := parents.get(current)) is not None and hops < 64:  # a cycle stops
            current, hops = parent, hops + 1
        roots[unit_id] = current
    names = {unit_id: (code, name) for unit_id, parent, code, name in rows if parent is None}
    return roots, names


def period_progress(
    session: Session, actor: Actor, period_id: int, max_age: float = 0.0
) -> Progress:
    """Per SKPA: SKPs drafted, submitted and approved, employees completely rated, peer
    answers; the supervisors furthest behind. Kepegawaian: the province; a pejabat penilai:
    their subordinates. `max_age` (seconds) lets a page reuse figures this process computed
    that recently for the same period and scope (the permission check is never skipped)."""
    supervisor_id = _scope(session, actor)
    period = _period(session, period_id)
    key = (str(session.get_bind().engine.url), period.id, supervisor_id)
    now = time.monotonic()
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is None or now - cached[0] > max_age:
        cached = (now, _figures(session, period.id, supervisor_id), datetime.now(UTC))
        with _LOCK:
            _CACHE[key] = cached
    units, total, supervisors, unassigned = cached[1]
    return Progress(
        period=period,
        scope="provinsi" if supervisor_id is None else "tim",
        units=units,
        total=total,
        supervisors=supervisors,
        without_supervisor=unassigned,
        computed_at=cached[2],
    )


# Figures per (database, period, scope), reused by pages for `max_age` seconds: the aggregates
# read every active employee of the province, which is cheap once (about a hundred milliseconds
# at 40,000) but not twenty times a second. Per process, small (one entry per period and
# supervisor who looked).
_CACHE: dict[tuple[str, int, int | None], tuple[float, Figures, datetime]] = {}
_LOCK = threading.Lock()


def _figures(session: Session, period_id: int, supervisor_id: int | None) -> Figures:
    roots, names = _skpa_of(session)
    units: dict[int, UnitProgress] = {}

    def unit(unit_id: int | None) -> UnitProgress:
        key = roots.get(unit_id, NO_UNIT) if unit_id is not None else NO_UNIT
        if key not in units:
            code, name = names.get(key, ("–", "Tanpa unit kerja"))
            units[key] = UnitProgress(unit_id=key, code=code, name=name)
        return units[key]

    for unit_id, staff, draft, submitted, approved, complete in session.execute(
        select(
            Employee.unit_id,
            func.count(Employee.id),
            func.count(case((Skp.state.in_((SkpState.DRAFT, SkpState.RETURNED)), 1))),
            func.count(case((Skp.state == SkpState.SUBMITTED, 1))),
            func.count(case((Skp.state == SkpState.APPROVED, 1))),
            func.count(Evaluation.id),
        )
        .select_from(Employee)
        .outerjoin(Skp, and_(Skp.employee_id == Employee.id, Skp.period_id == period_id))
        .outerjoin(Evaluation, _complete_evaluation(period_id))
        .where(_in_scope(supervisor_id))
        .group_by(Employee.unit_id)
    ):
        unit(unit_id).counts.add(
            Counts(
                employees=staff,
                skp_draft=draft,
                skp_submitted=submitted,
                skp_approved=approved,
                complete=complete,
            )
        )
    for unit_id, assigned, answered in session.execute(
        select(
            Employee.unit_id, func.count(PeerAssignment.id), func.count(PeerAssignment.answered_at)
        )
        .join(Employee, Employee.id == PeerAssignment.ratee_id)
        .where(PeerAssignment.period_id == period_id, _in_scope(supervisor_id))
        .group_by(Employee.unit_id)
    ):
        unit(unit_id).counts.add(Counts(peers_assigned=assigned, peers_answered=answered))
    total = Counts()
    for row in units.values():
        total.add(row.counts)
    ordered = sorted(units.values(), key=lambda u: (-u.counts.incomplete, u.name))
    unassigned = 0
    if supervisor_id is None:
        unassigned = (
            session.scalar(select(func.count(Employee.id)).where(organisation.without_supervisor()))
            or 0
        )
    return ordered, total, _supervisors_behind(session, period_id, supervisor_id), unassigned


def _supervisors_behind(
    session: Session, period_id: int, supervisor_id: int | None
) -> list[SupervisorBehind]:
    """The supervisors with the most subordinates not yet completely rated, then the most SKPs
    waiting for their approval (ranked in the database, names joined there too)."""
    boss = aliased(Employee)
    incomplete = func.count(Employee.id) - func.count(Evaluation.id)
    waiting = func.count(case((Skp.state == SkpState.SUBMITTED, 1)))
    rows = session.execute(
        select(boss.id, boss.name, boss.nip, incomplete, waiting)
        .select_from(Employee)
        .join(boss, boss.id == Employee.supervisor_id)
        .outerjoin(Skp, and_(Skp.employee_id == Employee.id, Skp.period_id == period_id))
        .outerjoin(Evaluation, _complete_evaluation(period_id))
        .where(_in_scope(supervisor_id))
        .group_by(boss.id, boss.name, boss.nip)
        .having(or_(incomplete > 0, waiting > 0))
        .order_by(incomplete.desc(), waiting.desc(), boss.name, boss.id)
        .limit(SUPERVISORS_SHOWN)
    )
    return [
        SupervisorBehind(employee_id=ident, name=name, nip=nip, incomplete=late, skp_waiting=queued)
        for ident, name, nip, late, queued in rows
    ]


def _behind_condition(kind: str, period_id: int) -> ColumnElement[bool]:
    """Whether an employee is behind in one respect: an EXISTS / NOT EXISTS correlated to the
    employee only (the listing also joins the SKP and evaluation tables), answered from the
    unique indexes of the employee's rows of the period."""
    own_skp = and_(Skp.employee_id == Employee.id, Skp.period_id == period_id)
    if kind == "belum_lengkap":
        return ~exists().where(_complete_evaluation(period_id)).correlate(Employee)
    if kind == "skp_belum_ada":
        return ~exists().where(own_skp).correlate(Employee)
    if kind == "skp_draf":
        return (
            exists()
            .where(own_skp, Skp.state.in_((SkpState.DRAFT, SkpState.RETURNED)))
            .correlate(Employee)
        )
    if kind == "skp_diajukan":
        return exists().where(own_skp, Skp.state == SkpState.SUBMITTED).correlate(Employee)
    if kind == "rekan_belum":
        return (
            exists()
            .where(
                PeerAssignment.period_id == period_id,
                PeerAssignment.ratee_id == Employee.id,
                PeerAssignment.answered_at.is_(None),
            )
            .correlate(Employee)
        )
    raise InvalidInput(
        "Daftar harus salah satu dari: " + ", ".join(BEHIND_KINDS) + ".", field="daftar"
    )


def behind(
    session: Session,
    actor: Actor,
    period_id: int,
    kind: str = "belum_lengkap",
    skpa_id: int | None = None,
    page: int = 1,
    page_size: int | None = PAGE_SIZE,
) -> BehindPage:
    """The employees behind in one respect (`BEHIND_KINDS`), of one SKPA or all, in the same
    scope as `period_progress`, grouped by pejabat penilai; `page_size=None` returns everyone
    (for the Excel file).

    The page's employees are chosen first (ids only, in the supervisor index's order, so the
    database stops after one page), then named with their unit, supervisor, SKP and evaluation
    in a second query over just those rows."""
    supervisor_id = _scope(session, actor)
    _period(session, period_id)
    where = [_in_scope(supervisor_id), _behind_condition(kind, period_id)]
    roots, names = _skpa_of(session)
    if skpa_id is not None:
        if skpa_id == NO_UNIT:
            where.append(Employee.unit_id.is_(None))
        elif skpa_id in names:
            where.append(Employee.unit_id.in_([u for u, root in roots.items() if root == skpa_id]))
        else:
            raise NotFound("SKPA tidak ditemukan.")
    total = session.scalar(select(func.count(Employee.id)).where(*where)) or 0
    chosen = select(Employee.id).where(*where).order_by(Employee.supervisor_id, Employee.id)
    pages = 1
    if page_size is not None:
        pages = max(1, -(-total // page_size))
        page = min(max(page, 1), pages)
        chosen = chosen.offset((page - 1) * page_size).limit(page_size)
    picked = where if page_size is None else [Employee.id.in_(session.scalars(chosen).all())]
    boss = aliased(Employee)
    home = aliased(Unit)
    rows = session.execute(
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            home.name,
            boss.name,
            Skp.state,
            Evaluation.status,
        )
        .outerjoin(Skp, and_(Skp.employee_id == Employee.id, Skp.period_id == period_id))
        .outerjoin(
            Evaluation,
            and_(Evaluation.employee_id == Employee.id, Evaluation.period_id == period_id),
        )
        .outerjoin(boss, boss.id == Employee.supervisor_id)
        .outerjoin(home, home.id == Employee.unit_id)
        .where(*picked)
        .order_by(Employee.supervisor_id, Employee.id)
    )
    return BehindPage(
        kind=kind,
        title=BEHIND_KINDS[kind],
        unit_name=names.get(skpa_id, ("", "Tanpa unit kerja"))[1] if skpa_id is not None else None,
        rows=[
            BehindRow(
                employee_id=ident,
                nip=nip,
                name=name,
                unit=unit or "–",
                supervisor=supervisor or "–",
                skp_state=state,
                evaluation_status=status,
            )
            for ident, nip, name, unit, supervisor, state, status in rows
        ],
        total=total,
        page=page,
        pages=pages,
    )


PROGRESS_HEADERS = (
    "Kode SKPA",
    "SKPA",
    "Pegawai dinilai",
    "SKP belum dibuat",
    "SKP draf/dikembalikan",
    "SKP diajukan",
    "SKP disetujui",
    "Lengkap dinilai",
    "Belum lengkap",
    "Rekan ditugaskan",
    "Rekan menjawab",
)


def _progress_row(code: str, name: str, counts: Counts) -> list[object]:
    return [
        code,
        name,
        counts.employees,
        counts.skp_missing,
        counts.skp_draft,
        counts.skp_submitted,
        counts.skp_approved,
        counts.complete,
        counts.incomplete,
        counts.peers_assigned,
        counts.peers_answered,
    ]


def progress_xlsx(session: Session, actor: Actor, period_id: int) -> bytes:
    """The progress table per SKPA and everyone not yet completely rated, as an Excel file."""
    report = period_progress(session, actor, period_id)
    late = behind(session, actor, period_id, "belum_lengkap", page_size=None)
    book = Workbook(write_only=True)
    summary = book.create_sheet("Kemajuan per SKPA")
    summary.append([f"Kemajuan periode {report.period.name}: {report.readiness.sentence}"])
    summary.append(list(PROGRESS_HEADERS))
    for row in report.units:
        summary.append(_progress_row(row.code, row.name, row.counts))
    summary.append(_progress_row("", "Jumlah", report.total))
    people = book.create_sheet("Belum lengkap")
    people.append(["NIP", "Nama", "Unit kerja", "Pejabat penilai", "Status SKP", "Status evaluasi"])
    for item in late.rows:
        people.append(
            [
                item.nip,
                item.name,
                item.unit,
                item.supervisor,
                label(item.skp_state or "belum_ada"),
                label(item.evaluation_status or "belum_ada"),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
