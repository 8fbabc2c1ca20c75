"""The one access policy (app/services/access.py): its SQL clause for lists agrees with its
predicates for single employees, and an account without an employee record is nobody's
supervisor — not even of someone who has none."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.domain.enums import SkpState
from app.extensions import db
from app.models import Employee
from app.services import access
from app.services.appraisal import levels, skp
from app.services.errors import Forbidden, NotFound
from config.roles import PEGAWAI
from tests.workflow.helpers import actor_of, admin, cast_of, hr, supervisor_actor


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def test_list_clause_and_predicates_name_the_same_people(app):
    cast = cast_of(app)
    with app.app_context():
        everyone = db.session.scalars(select(Employee)).all()
        for actor in (supervisor_actor(cast), actor_of(cast.subordinate, PEGAWAI), hr()):
            listed = set(
                db.session.scalars(select(Employee.id).where(access.visible_employees(actor)))
            )
            one_by_one = {
                e.id
                for e in everyone
                if access.role_wide(actor)
                or access.is_self(actor, e)
                or (actor.is_supervisor and access.is_direct_supervisor(actor, e))
            }
            assert listed == one_by_one
            assert listed  # nobody here sees nothing
        supervisor = supervisor_actor(cast)
        subordinate = db.session.get(Employee, cast.subordinate)
        assert access.is_direct_supervisor(supervisor, subordinate)
        assert access.can_reach(db.session, supervisor, subordinate)
        # the supervisor's own supervisor reaches the subordinate up the chain, but is not
        # their direct supervisor
        boss = db.session.get(Employee, cast.supervisor).supervisor_id
        assert boss is not None
        upper = actor_of(boss, PEGAWAI)
        assert access.in_supervisor_chain(db.session, upper, subordinate)
        assert not access.is_direct_supervisor(upper, subordinate)
        stranger = actor_of(cast.other_unit_employee, PEGAWAI)
        assert not access.can_reach(db.session, stranger, subordinate)
        with pytest.raises(NotFound):
            access.reachable_employee(db.session, stranger, subordinate.id)


def test_an_account_without_employee_record_approves_no_skp_of_the_top_of_a_chain(app):
    cast = cast_of(app)
    with app.app_context():
        top = db.session.scalars(
            select(Employee).where(Employee.supervisor_id.is_(None)).order_by(Employee.id)
        ).first()
        assert top is not None
        owner = actor_of(top.id, PEGAWAI)
        plan = skp.own_skp(db.session, owner, cast.period)
        if plan.state in (SkpState.DRAFT, SkpState.RETURNED):
            if not plan.rhk:
                skp.add_rhk(
                    db.session,
                    owner,
                    plan.id,
                    skp.RhkDraft(text="Arah kebijakan", iki="Dokumen", target="1", kind="utama"),
                )
            skp.submit(db.session, owner, plan.id)
        for staff in (hr(), admin()):
            assert not access.is_direct_supervisor(staff, top)
            if plan.state == SkpState.SUBMITTED:
                with pytest.raises(Forbidden, match="atasan langsung"):
                    skp.review(db.session, staff, plan.id, True)
            with pytest.raises(Forbidden, match="atasan langsung"):
                levels.decide_level(
                    db.session, staff, cast.period, top.id, "hasil_kerja", "sesuai_ekspektasi"
                )
        db.session.rollback()
        assert db.session.get(type(plan), plan.id).state != SkpState.APPROVED
