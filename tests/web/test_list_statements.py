"""Hasil Evaluasi and Daftar Penilaian cost the same number of SQL statements for a page of 100
rows as for a page of 10: a page's related objects (period, employees, indicator, RHK) come with
its rows, and what the confidentiality rule reads is read once per page, never once per row."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.domain.wording import number
from app.extensions import db
from app.models import Employee, Evaluation, Indicator, Rating
from tests.conftest import signed_in, statements
from tests.web.people import people

# Besides the page's own statements (count and rows), a request reads the user, the roles and the
# period choices: all fixed. The bound only documents the order of magnitude.
MOST = 30


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    """The demo's people, with one peer answer for every subordinate of `penilai` in the closed
    period: fewer than three, so every row of the supervisor's list goes through the
    confidentiality rule's recomputation without it."""
    cast = people(app)
    with app.app_context():
        indicator = db.session.scalars(
            select(Indicator).where(Indicator.rater_kinds.contains("peer"))
        ).first()
        assert indicator is not None
        value = (
            {"value_number": Decimal(4)}
            if indicator.scale == "bintang"
            else {"value_level": "di_atas_ekspektasi"}
        )
        team = db.session.scalars(
            select(Employee.id).where(Employee.supervisor_id == cast.penilai)
        ).all()
        for ratee in team:
            rater = cast.colleague if ratee == cast.pegawai else cast.pegawai
            db.session.add(
                Rating(
                    period_id=cast.closed_period,
                    ratee_id=ratee,
                    rater_id=rater,
                    rater_kind="peer",
                    indicator_id=indicator.id,
                    state="submitted",
                    **value,
                )
            )
        db.session.commit()
    return cast


def _page(app, client, view: str, size: int, extra: str = "", seen: list | None = None):
    """(statements, rows shown) of one list page of `size` rows; the statements themselves are
    added to `seen` when given."""
    path = f"/{view.lower()}/list/?psize_{view}={size}{extra}"
    # the session store deletes expired sessions on a random request: not the page's work
    with statements(app, ignore="http_session") as run:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    if seen is not None:
        seen.extend(run)
    return len(run), response.text.count(f'href="/{view.lower()}/show/')


def _period(cast) -> str:
    return f"&_flt_0_period={cast.open_period}"


@pytest.mark.parametrize("view", ["RatingModelView", "EvaluationModelView"])
def test_a_page_of_100_rows_costs_the_statements_of_a_page_of_10(app, cast, view):
    client = signed_in(app, "kepegawaian")
    extra = _period(cast) if view == "RatingModelView" else ""
    _page(app, client, view, 10, extra)  # first request: the app's own one-off reads
    small, small_rows = _page(app, client, view, 10, extra)
    large, large_rows = _page(app, client, view, 100, extra)
    assert (small_rows, large_rows) == (10, 100)
    assert large == small <= MOST


def test_supervisors_evaluation_list_with_withheld_peer_input_is_read_per_page(app, cast):
    """Every row of the supervisor's list has its peer input withheld (recomputed without it):
    that costs the same few statements on a page of 2 rows and on a page of all of them."""
    with app.app_context():
        visible = db.session.scalar(
            select(db.func.count())
            .select_from(Evaluation)
            .join(Employee, Employee.id == Evaluation.employee_id)
            .where(Employee.supervisor_id == cast.penilai)
        )
    assert visible >= 4
    client = signed_in(app, "penilai")
    closed = f"&_flt_0_period={cast.closed_period}"
    _page(app, client, "EvaluationModelView", 2, closed)
    small, small_rows = _page(app, client, "EvaluationModelView", 2, closed)
    seen: list[str] = []
    large, large_rows = _page(app, client, "EvaluationModelView", 100, closed, seen)
    assert small_rows == 2 and large_rows > 2
    assert large == small <= MOST
    # the rows were recomputed from the engine's input (which reads the unit's predikat)
    assert any("unit_result" in statement for statement in seen)


def test_supervisors_rating_list_costs_the_same_for_any_page_size(app, cast):
    client = signed_in(app, "penilai")
    extra = _period(cast)
    _page(app, client, "RatingModelView", 10, extra)
    small, small_rows = _page(app, client, "RatingModelView", 10, extra)
    large, large_rows = _page(app, client, "RatingModelView", 100, extra)
    assert small_rows == 10 and large_rows > 10
    assert large == small <= MOST


@pytest.mark.parametrize("view", ["RatingModelView", "EvaluationModelView"])
def test_a_list_longer_than_the_count_cap_says_more_than_the_cap(app, cast, view):
    """Past KINERJA_LIST_COUNT_CAP a list stops counting: it says "lebih dari" the cap and pages
    up to it; at exactly the cap, or with no cap, it shows the exact number."""
    model = Rating if view == "RatingModelView" else Evaluation
    with app.app_context():
        where = [Rating.period_id == cast.open_period] if model is Rating else []
        total = db.session.scalar(select(db.func.count()).select_from(model).where(*where))
    assert total > 20
    extra = _period(cast) if model is Rating else ""
    client = signed_in(app, "kepegawaian")
    path = f"/{view.lower()}/list/?psize_{view}=10{extra}"
    saved = app.config["KINERJA_LIST_COUNT_CAP"]
    try:
        app.config["KINERJA_LIST_COUNT_CAP"] = total - 1
        page = client.get(path).text
        assert 'id="jumlah-dibatasi"' in page
        assert re.search(rf"lebih dari {re.escape(number(total - 1))}\s", page)
        last = (total - 2) // 10  # the last page within the cap still shows its rows
        tail = client.get(f"{path}&page_{view}={last}").text
        assert tail.count(f'href="/{view.lower()}/show/') == min(10, total - 10 * last)
        for cap in (total, 0):
            app.config["KINERJA_LIST_COUNT_CAP"] = cap
            page = client.get(path).text
            assert 'id="jumlah-dibatasi"' not in page
            assert re.search(rf"Jumlah data:</strong>\s*{total}\s", page), cap
    finally:
        app.config["KINERJA_LIST_COUNT_CAP"] = saved
