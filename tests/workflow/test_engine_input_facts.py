"""What the app tells the engine about an employee besides the ratings: jenjang, status, the unit
leader flag, the unit's organisation predikat and the months of the period; and the engine of
this ruleset takes them without changing any result."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.engine import evaluate
from app.extensions import db
from app.models import Employee, Period, Position
from app.services.appraisal.evaluations import pinned_version
from app.services.authoring.rulesets import engine_ruleset
from app.services.engine_input import build_inputs, period_months
from tests.workflow.helpers import DEMO_PERIOD


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 1), date(2026, 1, 31), 1),
        (date(2026, 1, 1), date(2026, 2, 28), 2),  # BKN's worked example: January–February
        (date(2026, 10, 1), date(2026, 12, 31), 3),
        (date(2026, 1, 1), date(2026, 6, 30), 6),
        (date(2026, 1, 1), date(2026, 12, 31), 12),
    ],
)
def test_months_of_a_period_come_from_its_dates(start, end, months):
    assert period_months(Period(start_date=start, end_date=end, kind="bulanan")) == months


def test_inputs_carry_jenjang_status_leader_unit_predicate_and_period(demo_app):
    with demo_app.app_context():
        period = db.session.scalars(select(Period).where(Period.name == "Triwulan III 2026")).one()
        fungsional = db.session.scalars(
            select(Employee).join(Position).where(Position.kind == "fungsional")
        ).first()
        head = db.session.scalars(select(Employee).where(Employee.is_unit_head.is_(True))).first()
        ids = sorted([fungsional.id, head.id])
        by_id = dict(zip(ids, build_inputs(db.session, period, ids), strict=True))
        entry, leader = by_id[fungsional.id], by_id[head.id]
        assert entry["employee"]["jenjang"] == fungsional.jenjang is not None
        assert entry["employee"]["status"] == fungsional.status
        assert entry["employee"]["is_unit_head"] is False
        assert entry["period"] == {"kind": "triwulanan", "months": 3}
        assert leader["employee"]["is_unit_head"] is True
        assert leader["employee"]["jenjang"] is None
        assert leader["unit"] == {"predicate": "baik"}  # the demo's SKPA result of that quarter


def test_the_new_facts_change_nothing_but_the_angka_kredit(demo_app):
    """Jenjang and the period's months feed the angka kredit value and nothing else: results with
    and without them are equal, employee by employee, apart from `consequences.angka_kredit`,
    which a fungsional with a jenjang gets only with them."""
    with demo_app.app_context():
        period = db.session.scalars(select(Period).where(Period.name == DEMO_PERIOD)).one()
        ids = list(db.session.scalars(select(Employee.id).order_by(Employee.id).limit(60)))
        inputs = build_inputs(db.session, period, ids)
        ruleset = engine_ruleset(db.session, pinned_version(period))
    without = []
    for entry in inputs:
        plain = {k: v for k, v in entry.items() if k != "period"}
        plain["employee"] = {k: v for k, v in entry["employee"].items() if k != "jenjang"}
        without.append(plain)
    credited = 0
    for entry, full, bare in zip(
        inputs, evaluate(ruleset, inputs), evaluate(ruleset, without), strict=True
    ):
        value = full["consequences"].pop("angka_kredit", None)
        assert bare["consequences"].pop("angka_kredit", None) is None
        assert full == bare
        if full["predicate"] and entry["employee"]["jenjang"]:
            assert value is not None
            credited += 1
    assert credited > 0
