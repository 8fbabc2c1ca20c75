"""The workspace's to-do list follows the cycle: each step done removes its item and brings the
next person's."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Employee, Period, RuleSetVersion
from app.services.appraisal import peers, ratings, skp
from app.services.authoring import ruleset_versions
from app.services.reports.workspace import Workspace, workspace
from config.roles import PEGAWAI, PERUMUS
from tests.workflow.helpers import actor_of, cast_of, hr, supervisor_actor

MID_NOVEMBER = date(2026, 11, 15)


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _todos(board: Workspace, role: str) -> dict[str, list]:
    section = next((s for s in board.sections if s.role == role), None)
    assert section is not None, [s.role for s in board.sections]
    out: dict[str, list] = {}
    for todo in section.todos:
        out.setdefault(todo.key, []).append(todo)
    return out


def _employee(cast) -> dict[str, list]:
    board = workspace(db.session, actor_of(cast.subordinate, PEGAWAI), today=MID_NOVEMBER)
    return _todos(board, "Pegawai")


def _supervisor(cast) -> dict[str, list]:
    board = workspace(db.session, supervisor_actor(cast), today=MID_NOVEMBER)
    return _todos(board, "Pejabat Penilai")


def test_sections_follow_the_roles_held(app):
    cast = cast_of(app)
    with app.app_context():
        employee = workspace(db.session, actor_of(cast.subordinate, PEGAWAI))
        assert [s.role for s in employee.sections] == ["Pegawai"]
        supervisor = workspace(db.session, supervisor_actor(cast))
        assert [s.role for s in supervisor.sections] == ["Pegawai", "Pejabat Penilai"]
        assert [s.role for s in workspace(db.session, hr()).sections] == ["Kepegawaian"]
        policy = actor_of(None, PERUMUS)
        assert [s.role for s in workspace(db.session, policy).sections] == ["Perumus Kebijakan"]


def test_skp_moves_from_employee_to_supervisor_and_back(app):
    cast = cast_of(app)
    with app.app_context():
        me = actor_of(cast.subordinate, PEGAWAI)
        todo = _employee(cast)["skp_susun"][0]
        assert todo.link.page == "skp_mine" and dict(todo.link.args) == {"period_id": cast.period}
        plan = skp.own_skp(db.session, me, cast.period)
        skp.add_rhk(db.session, me, plan.id, skp.RhkDraft("Laporan tersusun", "Persentase", "100%"))
        assert "skp_ajukan" in _employee(cast) and "skp_susun" not in _employee(cast)
        assert "skp_setujui" not in _supervisor(cast)

        skp.submit(db.session, me, plan.id)
        assert not {"skp_susun", "skp_ajukan", "skp_perbaiki"} & set(_employee(cast))
        waiting = _supervisor(cast)["skp_setujui"][0]
        assert waiting.count == 1
        assert dict(waiting.entries[0].link.args) == {"skp_id": plan.id}

        skp.review(db.session, supervisor_actor(cast), plan.id, False, "Target belum terukur")
        fix = _employee(cast)["skp_perbaiki"][0]
        assert "Target belum terukur" in fix.reason
        skp.submit(db.session, me, plan.id)
        skp.review(db.session, supervisor_actor(cast), plan.id, True)
        mine = _employee(cast)
        assert mine["realisasi_bulan_ini"][0].count == 1
        assert "November 2026" in mine["realisasi_bulan_ini"][0].reason
        assert "penilaian_diri" in mine


def test_not_rated_subordinates_carry_the_period_end(app):
    cast = cast_of(app)
    with app.app_context():
        todo = _supervisor(cast)["belum_dinilai"][0]
        assert "31 Desember 2026" in todo.reason
        names = [entry.text for entry in todo.entries]
        ratee = db.session.get(Employee, cast.subordinate)
        assert ratee.name in names
        assert todo.count == len(names)  # the demo rated everyone else already


def test_peer_requests_reach_the_peer_and_leave_once_answered(app):
    cast = cast_of(app)
    with app.app_context():
        before = _supervisor(cast)["rekan_tetapkan"][0].count
        added = peers.draw_peers(
            db.session,
            supervisor_actor(cast),
            cast.period,
            cast.subordinate,
            peers.MIN_PEERS,
            seed=3,
        )
        assert _supervisor(cast)["rekan_tetapkan"][0].count == before - 1
        peer = actor_of(added[0].peer_id, PEGAWAI)
        request = _todos(workspace(db.session, peer), "Pegawai")["rekan_diminta"][0]
        assert request.count == 1
        assert dict(request.link.args) == {"period_id": cast.period, "ratee_id": cast.subordinate}
        form = ratings.rating_form(db.session, peer, cast.period, cast.subordinate)
        entries = [
            ratings.Entry(key=i.key, value="sesuai_ekspektasi" if i.scale == "ekspektasi" else 4)
            for i in form.items
        ]
        ratings.save_ratings(db.session, peer, cast.period, cast.subordinate, entries, True)
        assert "rekan_diminta" not in _todos(workspace(db.session, peer), "Pegawai")


def test_hr_sees_readiness_and_people_without_supervisor_or_account(app):
    with app.app_context():
        todos = _todos(workspace(db.session, hr()), "Kepegawaian")
        period = todos["periode_lanjut"][0]
        assert "pegawai lengkap dinilai" in period.reason
        accountless = db.session.scalar(
            select(func.count(Employee.id)).where(
                Employee.user_id.is_(None), Employee.is_active.is_(True)
            )
        )
        assert todos["tanpa_akun"][0].count == accountless
        assert "tanpa_atasan" not in todos  # every demo employee without one leads a unit


def test_policy_officer_sees_unpublished_drafts_and_unpinned_versions(app):
    with app.app_context():
        officer = actor_of(None, PERUMUS)
        assert "aturan_draf" not in _todos(workspace(db.session, officer), "Perumus Kebijakan")
        published = db.session.scalars(
            select(RuleSetVersion).where(RuleSetVersion.status == "published")
        ).first()
        draft = ruleset_versions.create_draft(
            db.session, officer, published.yaml_text, parent_id=published.id, note="uji"
        )
        todo = _todos(workspace(db.session, officer), "Perumus Kebijakan")["aturan_draf"][0]
        assert todo.count == 1 and dict(todo.entries[0].link.args) == {"version_id": draft.id}
        pinned = set(db.session.scalars(select(Period.ruleset_version_id)))
        unpinned = _todos(workspace(db.session, officer), "Perumus Kebijakan").get(
            "aturan_belum_dipasang", []
        )
        assert (published.id in pinned) == (not unpinned)


def test_each_section_costs_a_fixed_number_of_queries(app):
    """Counts are aggregates: the number of statements does not depend on how many employees,
    SKPs or ratings there are (the province's 40,000 cost what the demo's 200 cost)."""
    cast = cast_of(app)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        # an employee's results: + 2 for the confidentiality rule's answer counts; + 1 each for
        # the periods to re-pin (Kepegawaian) and the drafts awaiting approval (Perumus);
        # Kepegawaian: an open period's readiness is the progress page's figures, counted afresh
        # here (+ 5: units, employees, peers, supervisors behind, without supervisor)
        for actor, most in (
            (hr(), 5 + 1 + 5),
            (actor_of(cast.subordinate, PEGAWAI), 3 + 2),
            (supervisor_actor(cast), 3 + 2 + 5),
            (actor_of(None, PERUMUS), 2 + 1),
        ):
            db.session.expire_all()
            statements.clear()
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                workspace(db.session, actor, today=MID_NOVEMBER)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            assert len(statements) <= most, (actor.roles, statements)


def test_kepegawaian_reuses_the_progress_figures_within_their_age(app):
    """A visit within `progress_max_age` of the last count reads no employee aggregate again:
    the open period's readiness comes from the progress page's figures."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        first = workspace(db.session, hr(), today=MID_NOVEMBER, progress_max_age=600)
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            again = workspace(db.session, hr(), today=MID_NOVEMBER, progress_max_age=600)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert [t.reason for s in again.sections for t in s.todos] == [
        t.reason for s in first.sections for t in s.todos
    ]
    assert any("lengkap dinilai" in t.reason for s in again.sections for t in s.todos)
    assert not any("evaluation" in s and "count(" in s for s in statements), statements
