"""Opening a second period never moves anyone off the period their work is in: SKP Saya,
Kinerja Saya, Tim Saya and the rating list keep showing it, and offer the other one."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Period
from app.services.appraisal import periods
from config.roles import PEGAWAI
from tests.conftest import signed_in
from tests.workflow.helpers import DEMO_PERIOD, actor_of, cast_of, hr, supervisor_actor


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    """The demo, plus a monthly period inside the demo's open quarter, opened by Kepegawaian."""
    with isolated_demo_app.app_context():
        month = periods.create_period(
            db.session,
            hr(),
            periods.PeriodDraft("November 2026", "bulanan", date(2026, 11, 1), date(2026, 11, 30)),
        )
        periods.transition(db.session, hr(), month.id, "open")
    return isolated_demo_app


def _ids(app) -> tuple[int, int]:
    with app.app_context():
        quarter = db.session.scalar(select(Period.id).where(Period.name == DEMO_PERIOD))
        month = db.session.scalar(select(Period.id).where(Period.name == "November 2026"))
        return quarter, month


def test_choice_stays_with_the_period_that_has_work(app):
    cast = cast_of(app)
    quarter, month = _ids(app)
    with app.app_context():
        mine = periods.period_choice(db.session, actor_of(cast.subordinate, PEGAWAI))
        assert mine.selected.id == quarter and mine.open_count == 2
        assert periods.period_choice(db.session, supervisor_actor(cast)).selected.id == quarter
        asked = periods.period_choice(db.session, actor_of(cast.subordinate, PEGAWAI), month)
        assert asked.selected.id == month and asked.requested
        # A draft is never offered, even when asked for by id.
        draft = periods.create_period(
            db.session,
            hr(),
            periods.PeriodDraft("Desember 2026", "bulanan", date(2026, 12, 1), date(2026, 12, 31)),
        )
        fallback = periods.period_choice(db.session, actor_of(cast.subordinate, PEGAWAI), draft.id)
        assert fallback.selected.id == quarter and not fallback.requested
        assert draft.id not in {p.id for p in fallback.options}


def test_skp_saya_keeps_the_quarter_and_offers_the_month(app):
    quarter, month = _ids(app)
    client = signed_in(app, "pegawai")
    page = client.get("/skp/saya/").get_data(as_text=True)
    assert f"Periode {DEMO_PERIOD}" in page
    assert "Ada 2 periode yang sedang dibuka" in page
    assert f"?periode={month}" in page
    chosen = client.get(f"/skp/saya/?periode={month}").get_data(as_text=True)
    assert "Periode November 2026" in chosen


def test_dashboard_keeps_the_quarter(app):
    quarter, _ = _ids(app)
    page = signed_in(app, "pegawai").get("/kinerja-saya/").get_data(as_text=True)
    assert f'<li class="active"><a href="?periode={quarter}"' in page


def test_team_shows_one_period_at_a_time(app):
    quarter, month = _ids(app)
    client = signed_in(app, "penilai")
    page = client.get("/penilaian/tim/").get_data(as_text=True)
    assert f"/penilaian/{quarter}/" in page and f"/penilaian/{month}/" not in page
    assert f"/periode/{quarter}/progres" in page  # the team's progress in that period
    other = client.get(f"/penilaian/tim/?periode={month}").get_data(as_text=True)
    assert f"/penilaian/{month}/" in other and f"/penilaian/{quarter}/" not in other


def test_rating_list_is_filtered_to_the_chosen_period(app):
    quarter, month = _ids(app)
    client = signed_in(app, "penilai")
    response = client.get("/ratingmodelview/list/?psize_RatingModelView=100")
    assert response.status_code == 200  # filtered at once, no detour through a redirect
    page = response.get_data(as_text=True)
    assert 'id="pilih-periode"' in page
    assert f'<li class="active"><a href="?_flt_0_period={quarter}"' in page
    listed = "/ratingmodelview/list/?psize_RatingModelView=100&_flt_0_period="
    explicit = client.get(f"{listed}{quarter}")
    assert _rows(page) == _rows(explicit.get_data(as_text=True))
    other = client.get(f"{listed}{month}")
    assert _rows(other.get_data(as_text=True)) != _rows(page)


def _rows(page: str) -> list[str]:
    return re.findall(r'href="/ratingmodelview/show/(\d+)', page)
