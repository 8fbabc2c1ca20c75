"""The REST API's lists cost the same number of SQL statements for a page of 100 rows as for a page
of 10: the related objects a list shows (a rating's ratee and indicator, an employee's unit, an
evaluation's period) come with the page's rows in its one statement, never one per row."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Employee, Evaluation, Indicator, PeerAssignment, Rating, Skp, Unit
from tests.conftest import api_token, statements
from tests.web.people import people

LISTS = {
    "unit": Unit,
    "employee": Employee,
    "indicator": Indicator,
    "skp": Skp,
    "rating": Rating,
    "evaluation": Evaluation,
    "peer": PeerAssignment,
}


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    """The demo, with a peer assignment for twelve employees in the open period: the demo has
    none, and each list must hold more than one page of 10."""
    cast = people(isolated_demo_app)
    with isolated_demo_app.app_context():
        others = db.session.scalars(
            select(Employee.id).where(Employee.id != cast.pegawai).order_by(Employee.id).limit(12)
        )
        db.session.add_all(
            PeerAssignment(period_id=cast.open_period, ratee_id=ratee, peer_id=cast.pegawai)
            for ratee in others
        )
        db.session.commit()
    return isolated_demo_app


def _page(app, headers, resource: str, size: int) -> tuple[int, int]:
    """(statements, rows) of one list page of `size` rows."""
    path = f"/api/v1/{resource}/?q=(page_size:{size},page:0)"
    with statements(app, ignore="http_session") as run:
        response = app.test_client().get(path, headers=headers)
    assert response.status_code == 200, (path, response.get_data(as_text=True))
    return len(run), len(response.json["result"])


@pytest.mark.parametrize("resource", sorted(LISTS))
def test_a_page_of_100_costs_the_statements_of_a_page_of_10(app, resource):
    with app.app_context():
        rows = db.session.scalar(select(func.count()).select_from(LISTS[resource]))
    headers = api_token(app, "admin")
    _page(app, headers, resource, 10)  # the first request's one-off reads
    small, small_rows = _page(app, headers, resource, 10)
    large, large_rows = _page(app, headers, resource, 100)
    assert (small_rows, large_rows) == (10, min(rows, 100))
    assert large == small
