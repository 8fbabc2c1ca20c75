"""The workspace: what each person has to do now, merged over the roles they hold.

Every item is a count, a one-line reason and the page where the work is done (as a page name
and its arguments; the web layer turns it into a URL). Each item comes from one aggregate
query, whatever the size of the province: the Kepegawaian items count over every employee and
must stay fast at 40,000 of them, so nothing here loads rows one by one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from babel.dates import format_date
from sqlalchemy import and_, case, exists, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from app.domain.enums import (
    AppealState,
    PeriodState,
    RaterKind,
    RatingState,
    RulesetStatus,
    SkpState,
    label,
)
from app.domain.wording import WIB, long_date, number
from app.models import (
    Appeal,
    Employee,
    Evaluation,
    PeerAssignment,
    Period,
    Rating,
    Realisation,
    Rhk,
    RuleSetVersion,
    Skp,
    Unit,
    UnitResult,
)
from app.models.base import utcnow
from app.services import notifications
from app.services.actor import Actor
from app.services.appraisal import appeals
from app.services.appraisal.peers import MIN_PEERS
from app.services.authoring.ruleset_versions import four_eyes
from app.services.people import organisation
from app.services.public import confidentiality
from app.services.reports import progress

MAX_ENTRIES = 5  # named direct links under one item; the item's own link leads to the rest


def today_wib() -> date:
    """Deadlines and "this month" are calendar days in Jakarta time."""
    return datetime.now(WIB).date()


@dataclass(frozen=True)
class Link:
    """Where something is done: a page name the web layer knows, and its arguments."""

    page: str
    args: tuple[tuple[str, int], ...] = ()

    @classmethod
    def to(cls, page: str, **args: int) -> Link:
        return cls(page, tuple(sorted(args.items())))


@dataclass
class Entry:
    """One named thing inside an item (a subordinate, an SKP), with its own link."""

    text: str
    link: Link


@dataclass
class Todo:
    """One line of the to-do list."""

    key: str
    count: int
    reason: str
    link: Link
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Section:
    """The to-do items of one role."""

    role: str
    todos: list[Todo] = field(default_factory=list)


@dataclass
class Workspace:
    sections: list[Section]

    @property
    def total(self) -> int:
        return sum(todo.count for section in self.sections for todo in section.todos)


def workspace(
    session: Session,
    actor: Actor,
    today: date | None = None,
    appeal_window_days: int = 14,
    progress_max_age: float = 0.0,
) -> Workspace:
    """The actor's to-do list, one section per role held (empty sections are kept, so that a
    person sees that a role has nothing waiting). A period's readiness may be the progress
    page's figures up to `progress_max_age` seconds old (`progress.period_progress`)."""
    day = today or today_wib()
    sections: list[Section] = []
    if actor.user_id is not None:
        messages = _notifications(session, actor.user_id)
        if messages:
            sections.append(Section("Pemberitahuan", messages))
    if actor.employee_id is not None:
        sections.append(Section("Pegawai", _employee(session, actor, day, appeal_window_days)))
    if actor.employee_id is not None and actor.is_supervisor:
        sections.append(Section("Pejabat Penilai", _supervisor(session, actor.employee_id)))
    if actor.is_hr:
        sections.append(
            Section("Kepegawaian", _hr(session, actor, day, appeal_window_days, progress_max_age))
        )
    if actor.is_policy_officer:
        sections.append(Section("Perumus Kebijakan", _policy(session, actor.user_id or 0)))
    return Workspace(sections)


def _notifications(session: Session, user_id: int) -> list[Todo]:
    """Unread notifications (SKP decisions, ratings, appeals, deadline reminders)."""
    count, newest = notifications.unread(session, user_id, MAX_ENTRIES)
    if not count:
        return []
    entries = [
        Entry(row.subject, Link.to("notification", notification_id=row.id)) for row in newest
    ]
    return [
        Todo(
            "pemberitahuan",
            count,
            f"{number(count)} pemberitahuan belum dibaca",
            Link.to("notifications"),
            entries,
        )
    ]


# --- Pegawai ---------------------------------------------------------------------------------


def _employee(session: Session, actor: Actor, day: date, window_days: int) -> list[Todo]:
    me = actor.employee_id or 0
    todos = _own_skp(session, me, day)
    todos += _peer_requests(session, me)
    todos += _results(session, actor, day, window_days)
    return todos


def _own_skp(session: Session, me: int, day: date) -> list[Todo]:
    """Per open period: the SKP to draft, submit or fix; then realisation and self-assessment."""
    rhk_count = (
        select(func.count(Rhk.id)).where(Rhk.skp_id == Skp.id).correlate(Skp).scalar_subquery()
    )
    month_missing = (
        select(func.count(Rhk.id))
        .where(
            Rhk.skp_id == Skp.id,
            ~exists().where(
                Realisation.rhk_id == Rhk.id,
                Realisation.year == day.year,
                Realisation.month == day.month,
            ),
        )
        .correlate(Skp)
        .scalar_subquery()
    )
    self_submitted = exists().where(
        Rating.period_id == Period.id,
        Rating.ratee_id == me,
        Rating.rater_id == me,
        Rating.state == RatingState.SUBMITTED,
    )
    rows = session.execute(
        select(
            Period.id,
            Period.name,
            Period.start_date,
            Period.end_date,
            Skp.state,
            Skp.supervisor_comment,
            rhk_count,
            month_missing,
            self_submitted,
        )
        .outerjoin(Skp, and_(Skp.period_id == Period.id, Skp.employee_id == me))
        .where(Period.state == PeriodState.OPEN)
        .order_by(Period.start_date, Period.id)
    ).all()
    todos: list[Todo] = []
    for pid, name, start, end, state, comment, rhk, missing, self_done in rows:
        mine = Link.to("skp_mine", period_id=pid)
        if state == SkpState.RETURNED:
            reason = f"SKP periode {name} dikembalikan atasan untuk diperbaiki"
            if comment:
                reason += f": “{comment}”"
            todos.append(Todo("skp_perbaiki", 1, reason, mine))
        elif state in (None, SkpState.DRAFT) and not rhk:
            todos.append(Todo("skp_susun", 1, f"SKP periode {name} belum disusun", mine))
        elif state == SkpState.DRAFT:
            todos.append(
                Todo(
                    "skp_ajukan",
                    1,
                    f"SKP periode {name} ({rhk} RHK) belum diajukan kepada atasan",
                    mine,
                )
            )
        if state != SkpState.APPROVED:
            continue
        if missing and start <= day <= end:
            todos.append(
                Todo(
                    "realisasi_bulan_ini",
                    missing,
                    f"RHK tanpa realisasi bulan {format_date(day, 'MMMM y', locale='id')} "
                    f"(periode {name})",
                    Link.to("dashboard", periode=pid),
                )
            )
        if not self_done:
            todos.append(
                Todo(
                    "penilaian_diri",
                    1,
                    f"Penilaian diri periode {name} belum diajukan",
                    Link.to("rating_form", period_id=pid, ratee_id=me),
                )
            )
    return todos


def _peer_requests(session: Session, me: int) -> list[Todo]:
    """Colleagues whose behaviour I was asked to rate and have not answered yet."""
    rows = session.execute(
        select(PeerAssignment.period_id, PeerAssignment.ratee_id, Employee.name, Period.name)
        .join(Employee, Employee.id == PeerAssignment.ratee_id)
        .join(Period, Period.id == PeerAssignment.period_id)
        .where(
            PeerAssignment.peer_id == me,
            Period.state == PeriodState.OPEN,
            PeerAssignment.answered_at.is_(None),
        )
        .order_by(Period.start_date, Employee.name)
    ).all()
    if not rows:
        return []
    entries = [
        Entry(f"{name} ({period})", Link.to("rating_form", period_id=pid, ratee_id=ratee))
        for pid, ratee, name, period in rows[:MAX_ENTRIES]
    ]
    first = entries[0].link if len(rows) == 1 else Link.to("team")
    return [
        Todo(
            "rekan_diminta",
            len(rows),
            "Rekan kerja meminta masukan Anda tentang perilaku kerja mereka",
            first,
            entries,
        )
    ]


def _results(session: Session, actor: Actor, day: date, window_days: int) -> list[Todo]:
    """Results of closed periods whose appeal window is still open: to read, and to contest.
    The window is the appeals' own rule (calendar days in Jakarta after the closing day); the
    predikat as the actor may read it (`confidentiality`)."""
    since = utcnow() - timedelta(days=window_days + 2)  # coarse; the exact day is below
    filed = exists().where(Appeal.evaluation_id == Evaluation.id)
    rows = session.execute(
        select(Evaluation, Period, filed)
        .join(Period, Period.id == Evaluation.period_id)
        .where(
            Evaluation.employee_id == actor.employee_id,
            Period.state == PeriodState.CLOSED,
            Period.closed_at >= since,
        )
        .order_by(Period.closed_at)
    ).all()
    shown = confidentiality.shown_evaluations(session, actor, [row[0] for row in rows])
    todos: list[Todo] = []
    for evaluation, period, appealed in rows:
        evaluation_id, predicate = evaluation.id, shown[evaluation.id].final_predicate
        last = appeals.last_day(period, window_days)
        if last is None or last < day:
            continue
        todos.append(
            Todo(
                "hasil_baru",
                1,
                f"Hasil penilaian periode {period.name} telah terbit: "
                f"predikat {label(predicate) or 'belum ada'}",
                Link.to("dashboard", periode=period.id),
            )
        )
        if not appealed:
            left = (last - day).days
            when = "hari ini hari terakhir" if left == 0 else f"{left} hari lagi"
            reason = (
                f"Masa keberatan atas hasil periode {period.name} terbuka sampai "
                f"{long_date(last)} ({when}), bila Anda tidak setuju"
            )
            todos.append(
                Todo("masa_keberatan", 1, reason, Link.to("appeal", evaluasi=evaluation_id))
            )
    return todos


# --- Pejabat Penilai -------------------------------------------------------------------------


def _supervisor(session: Session, me: int) -> list[Todo]:
    todos = _skp_to_approve(session, me)
    todos += _not_rated(session, me)
    todos += _peers_to_assign(session, me)
    todos += _feedback_due(session, me)
    appeals = session.scalar(
        select(func.count(Appeal.id)).where(
            Appeal.decider_id == me, Appeal.state == AppealState.DIAJUKAN
        )
    )
    if appeals:
        todos.append(
            Todo(
                "keberatan_putuskan",
                appeals,
                "Keberatan menunggu keputusan Anda sebagai atasan pejabat penilai",
                Link.to("appeal"),
            )
        )
    return todos


def _skp_to_approve(session: Session, me: int) -> list[Todo]:
    rows = session.execute(
        select(Skp.id, Employee.name, Period.name)
        .join(Employee, Employee.id == Skp.employee_id)
        .join(Period, Period.id == Skp.period_id)
        .where(
            Employee.supervisor_id == me,
            Skp.state == SkpState.SUBMITTED,
            Period.state == PeriodState.OPEN,
        )
        .order_by(Period.start_date, Employee.name)
    ).all()
    if not rows:
        return []
    entries = [
        Entry(f"{name} ({period})", Link.to("skp_show", skp_id=skp_id))
        for skp_id, name, period in rows[:MAX_ENTRIES]
    ]
    first = entries[0].link if len(rows) == 1 else Link.to("team")
    return [Todo("skp_setujui", len(rows), "SKP bawahan menunggu persetujuan Anda", first, entries)]


def _not_rated(session: Session, me: int) -> list[Todo]:
    """Per open period: subordinates without a submitted rating of mine."""
    rated = exists().where(
        Rating.period_id == Period.id,
        Rating.ratee_id == Employee.id,
        Rating.rater_id == me,
        Rating.rater_kind == RaterKind.SUPERVISOR,
        Rating.state == RatingState.SUBMITTED,
    )
    rows = session.execute(
        select(Period.id, Period.name, Period.end_date, Employee.id, Employee.name)
        .select_from(Period)
        .join(Employee, true())
        .where(
            Period.state == PeriodState.OPEN,
            Employee.supervisor_id == me,
            Employee.is_active.is_(True),
            ~rated,
        )
        .order_by(Period.start_date, Period.id, Employee.name)
    ).all()
    todos: list[Todo] = []
    by_period: dict[int, list[tuple]] = {}
    for row in rows:
        by_period.setdefault(row[0], []).append(row)
    for pid, people in by_period.items():
        _, name, end, _, _ = people[0]
        entries = [
            Entry(person, Link.to("rating_form", period_id=pid, ratee_id=ratee))
            for _, _, _, ratee, person in people[:MAX_ENTRIES]
        ]
        first = entries[0].link if len(people) == 1 else Link.to("team")
        todos.append(
            Todo(
                "belum_dinilai",
                len(people),
                f"Bawahan belum Anda nilai pada periode {name} (berakhir {long_date(end)})",
                first,
                entries,
            )
        )
    return todos


def _peers_to_assign(session: Session, me: int) -> list[Todo]:
    """Per open period: subordinates with fewer than MIN_PEERS assigned peers."""
    assigned = (
        select(func.count(PeerAssignment.id))
        .where(PeerAssignment.period_id == Period.id, PeerAssignment.ratee_id == Employee.id)
        .correlate(Period, Employee)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Period.id, Period.name, Employee.id, Employee.name)
        .select_from(Period)
        .join(Employee, true())
        .where(
            Period.state == PeriodState.OPEN,
            Employee.supervisor_id == me,
            Employee.is_active.is_(True),
            assigned < MIN_PEERS,
        )
        .order_by(Period.start_date, Period.id, Employee.name)
    ).all()
    todos: list[Todo] = []
    by_period: dict[int, list[tuple]] = {}
    for row in rows:
        by_period.setdefault(row[0], []).append(row)
    for pid, people in by_period.items():
        entries = [
            Entry(person, Link.to("peers_of", period_id=pid, ratee_id=ratee))
            for _, _, ratee, person in people[:MAX_ENTRIES]
        ]
        todos.append(
            Todo(
                "rekan_tetapkan",
                len(people),
                f"Bawahan belum memiliki {MIN_PEERS} rekan penilai pada periode {people[0][1]}",
                Link.to("peers", periode=pid),
                entries,
            )
        )
    return todos


def _feedback_due(session: Session, me: int) -> list[Todo]:
    """Realisation entries of subordinates (period not closed) still without my feedback."""
    rows = session.execute(
        select(Employee.id, Employee.name, func.count(Realisation.id))
        .join(Rhk, Rhk.id == Realisation.rhk_id)
        .join(Skp, Skp.id == Rhk.skp_id)
        .join(Employee, Employee.id == Skp.employee_id)
        .join(Period, Period.id == Skp.period_id)
        .where(
            Employee.supervisor_id == me,
            Period.state != PeriodState.CLOSED,
            Realisation.supervisor_feedback.is_(None),
        )
        .group_by(Employee.id, Employee.name)
        .order_by(Employee.name)
    ).all()
    if not rows:
        return []
    entries = [
        Entry(f"{name}: {count} entri", Link.to("dashboard_of", employee_id=eid))
        for eid, name, count in rows[:MAX_ENTRIES]
    ]
    return [
        Todo(
            "umpan_balik",
            sum(r[2] for r in rows),
            "Realisasi bawahan menunggu umpan balik Anda",
            entries[0].link,
            entries,
        )
    ]


# --- Kepegawaian -----------------------------------------------------------------------------


def _hr(session: Session, actor: Actor, day: date, window_days: int, max_age: float) -> list[Todo]:
    todos = _periods_to_move(session, actor, day, window_days, max_age)
    todos += _periods_to_repin(session)
    todos += _units_without_predicate(session)
    own, escalated = session.execute(
        select(
            func.count(case((Appeal.decider_id.is_(None), Appeal.id))),
            func.count(case((Appeal.decider_id.is_not(None), Appeal.id))),
        ).where(Appeal.state == AppealState.DIAJUKAN)
    ).one()
    if own:
        todos.append(
            Todo(
                "keberatan_kepegawaian",
                own,
                "Keberatan tanpa atasan pejabat penilai menunggu keputusan Kepegawaian",
                Link.to("appeal"),
            )
        )
    if escalated:
        todos.append(
            Todo(
                "keberatan_atasan",
                escalated,
                "Keberatan sedang menunggu keputusan atasan pejabat penilai (pantau)",
                Link.to("appeal"),
            )
        )
    no_supervisor, no_account = session.execute(
        select(
            func.count(case((organisation.without_supervisor(), Employee.id))),
            func.count(case((organisation.without_account(), Employee.id))),
        ).where(Employee.is_active.is_(True))
    ).one()
    if no_supervisor:
        todos.append(
            Todo(
                "tanpa_atasan",
                no_supervisor,
                "Pegawai aktif tanpa pejabat penilai "
                "(bukan pimpinan unit): tidak ada yang dapat menilainya",
                Link.to("employees_without_supervisor"),
            )
        )
    if no_account:
        todos.append(
            Todo(
                "tanpa_akun",
                no_account,
                "Pegawai aktif belum memiliki akun untuk masuk",
                Link.to("employees_without_account"),
            )
        )
    return todos


def _periods_to_repin(session: Session) -> list[Todo]:
    """Periods not yet closed whose pinned version has been replaced by a newer published one:
    publishing never changes a running period, so Kepegawaian decides to re-pin (or not)."""
    pinned, current = aliased(RuleSetVersion), aliased(RuleSetVersion)
    rows = session.execute(
        select(Period.id, Period.name, pinned.number, current.id, current.number)
        .join(pinned, Period.ruleset_version_id == pinned.id)
        .join(current, and_(current.name == pinned.name, current.status == RulesetStatus.PUBLISHED))
        .where(
            Period.state.in_((PeriodState.DRAFT, PeriodState.OPEN, PeriodState.REVIEW)),
            pinned.status == RulesetStatus.ARCHIVED,
        )
        .order_by(Period.start_date, Period.id)
    ).all()
    if not rows:
        return []
    entries = [
        Entry(f"{name}: versi {old} → {new}", Link.to("repin", period_id=pid, version_id=vid))
        for pid, name, old, vid, new in rows[:MAX_ENTRIES]
    ]
    first = rows[0]
    return [
        Todo(
            "aturan_pasang_ulang",
            len(rows),
            "Aturan penilaian baru telah terbit; "
            "periode berjalan masih memakai versi lama (pasang versi baru atau biarkan)",
            Link.to("repin", period_id=first[0], version_id=first[3]),
            entries,
        )
    ]


def _periods_to_move(
    session: Session, actor: Actor, day: date, window_days: int, max_age: float
) -> list[Todo]:
    """Draft periods whose start has come; open periods and periods in review with their
    readiness (the count the confirmation before review and close shows, as the progress page
    last counted it: a province's count is too dear for every visit); periods closed within
    the appeal window, whose summary is to read."""
    recently = utcnow() - timedelta(days=window_days + 2)  # coarse; the exact day is below
    rows = session.scalars(
        select(Period)
        .where(
            or_(
                Period.state.in_((PeriodState.OPEN, PeriodState.REVIEW)),
                and_(Period.state == PeriodState.DRAFT, Period.start_date <= day),
                and_(Period.state == PeriodState.CLOSED, Period.closed_at >= recently),
            )
        )
        .order_by(Period.start_date, Period.id)
    ).all()
    todos: list[Todo] = []
    for period in rows:
        name, pid = period.name, period.id
        if period.state == PeriodState.DRAFT:
            todos.append(
                Todo(
                    "periode_buka",
                    1,
                    f"Periode {name} sudah waktunya dibuka",
                    Link.to("period", period_id=pid),
                )
            )
        elif period.state == PeriodState.CLOSED:
            last = appeals.last_day(period, window_days)
            if last is not None and last >= day:
                todos.append(
                    Todo(
                        "periode_ringkasan",
                        1,
                        f"Periode {name} telah ditutup: baca ringkasannya",
                        Link.to("period_summary", period_id=pid),
                    )
                )
        else:
            ready = progress.period_progress(session, actor, pid, max_age).readiness
            behind = ready.total - ready.complete
            if period.state == PeriodState.OPEN:
                step = (
                    "dapat dipindah ke Peninjauan"
                    if ready.is_complete
                    else f"{number(behind)} belum; lihat siapa yang tertinggal"
                )
                todos.append(
                    Todo(
                        "periode_lanjut",
                        1,
                        f"Periode {name}: {ready.sentence}; {step}",
                        Link.to("period_progress", period_id=pid),
                    )
                )
            else:
                todos.append(
                    Todo(
                        "periode_lanjut",
                        1,
                        f"Periode {name} dalam Peninjauan "
                        f"({ready.sentence}): tetapkan predikat organisasi, lalu "
                        "tutup",
                        Link.to("period", period_id=pid),
                    )
                )
    return todos


def _units_without_predicate(session: Session) -> list[Todo]:
    """Per period in review: top-level units without an organisation predikat."""
    top = aliased(Unit)
    has_result = exists().where(UnitResult.period_id == Period.id, UnitResult.unit_id == top.id)
    rows = session.execute(
        select(Period.id, Period.name, func.count(top.id))
        .select_from(Period)
        .join(top, true())
        .where(
            Period.state == PeriodState.REVIEW,
            top.parent_id.is_(None),
            top.is_active.is_(True),
            ~has_result,
        )
        .group_by(Period.id, Period.name)
    ).all()
    return [
        Todo(
            "predikat_organisasi",
            count,
            f"Unit kerja belum memiliki predikat organisasi pada periode {name}",
            Link.to("period", period_id=pid),
        )
        for pid, name, count in rows
        if count
    ]


# --- Perumus Kebijakan -----------------------------------------------------------------------


def _policy(session: Session, me: int) -> list[Todo]:
    todos: list[Todo] = []
    drafts = session.execute(
        select(
            RuleSetVersion.id,
            RuleSetVersion.name,
            RuleSetVersion.number,
            RuleSetVersion.approved_by_id,
            RuleSetVersion.author_id,
        )
        .where(RuleSetVersion.status == RulesetStatus.DRAFT)
        .order_by(RuleSetVersion.name, RuleSetVersion.number)
    ).all()
    if drafts:
        entries = [
            Entry(f"{name} v{number}", Link.to("ruleset_editor", version_id=vid))
            for vid, name, number, _, _ in drafts[:MAX_ENTRIES]
        ]
        todos.append(
            Todo(
                "aturan_draf",
                len(drafts),
                "Draf aturan penilaian belum diterbitkan",
                Link.to("rulesets"),
                entries,
            )
        )
    # the drafts this officer may approve: not yet approved, and another's (a draft stored from
    # the command line has no author: any officer may approve it)
    waiting = (
        [
            (vid, name, number)
            for vid, name, number, approver, author in drafts
            if approver is None and author != me
        ]
        if four_eyes()
        else []
    )
    if waiting:
        entries = [
            Entry(f"{name} v{number}", Link.to("ruleset_publish", version_id=vid))
            for vid, name, number in waiting[:MAX_ENTRIES]
        ]
        todos.append(
            Todo(
                "aturan_setujui",
                len(waiting),
                "Draf aturan Perumus lain menunggu persetujuan Anda sebelum terbit",
                Link.to("rulesets"),
                entries,
            )
        )
    pinned = exists().where(Period.ruleset_version_id == RuleSetVersion.id)
    unpinned = session.execute(
        select(RuleSetVersion.id, RuleSetVersion.name, RuleSetVersion.number)
        .where(RuleSetVersion.status == RulesetStatus.PUBLISHED, ~pinned)
        .order_by(RuleSetVersion.name, RuleSetVersion.number)
    ).all()
    if unpinned:
        entries = [
            Entry(f"{name} v{number}", Link.to("ruleset", version_id=vid))
            for vid, name, number in unpinned[:MAX_ENTRIES]
        ]
        todos.append(
            Todo(
                "aturan_belum_dipasang",
                len(unpinned),
                "Versi terbit belum dipasang pada periode mana pun (Kepegawaian memasangnya)",
                Link.to("rulesets"),
                entries,
            )
        )
    return todos
