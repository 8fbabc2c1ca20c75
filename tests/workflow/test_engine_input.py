"""The engine input of a chunk is exactly the inputs of its employees, whether the chunk's ids
are read as an index range (nearly contiguous) or as a list (sparse)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Employee, Period
from app.services.engine_input import build_inputs
from tests.workflow.helpers import DEMO_PERIOD


def test_chunk_inputs_equal_each_employees_own(demo_app):
    with demo_app.app_context():
        period = db.session.scalars(select(Period).where(Period.name == DEMO_PERIOD)).one()
        ids = list(db.session.scalars(select(Employee.id).order_by(Employee.id)))
        rated = [i for i in ids if build_inputs(db.session, period, [i])[0]["ratings"]]
        # every other rated employee: a range read that skips the ones in between
        with_gaps = rated[::2]
        sparse = [rated[0], rated[-1]]  # far apart: read as a list
        for chunk in (with_gaps, sparse, rated[:40]):
            one_by_one = [build_inputs(db.session, period, [i])[0] for i in chunk]
            assert build_inputs(db.session, period, chunk) == one_by_one
        assert len(with_gaps) > 20
