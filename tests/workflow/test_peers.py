"""Peers rate behaviour; the ratee sees their input only as an aggregate of at least three."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Employee
from app.services.appraisal import peers, ratings
from app.services.errors import InvalidInput, NotFound
from config.roles import PEGAWAI
from tests.conftest import api_token
from tests.workflow.helpers import actor_of, cast_of, hr, supervisor_actor

ATAS = "di_atas_ekspektasi"


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _colleagues(app, cast, count):
    with app.app_context():
        ratee = db.session.get(Employee, cast.subordinate)
        return list(
            db.session.scalars(
                select(Employee.id)
                .where(
                    Employee.unit_id == ratee.unit_id,
                    Employee.id.notin_([ratee.id, ratee.supervisor_id]),
                )
                .order_by(Employee.id)
                .limit(count)
            )
        )


def test_peer_rates_only_behaviour_and_aggregate_needs_three(app):
    cast = cast_of(app)
    colleagues = _colleagues(app, cast, 3)
    with app.app_context():
        with pytest.raises(InvalidInput):
            peers.assign_peers(db.session, hr(), cast.period, cast.subordinate, [cast.subordinate])
        peers.assign_peers(
            db.session, supervisor_actor(cast), cast.period, cast.subordinate, colleagues
        )
        for number, peer_id in enumerate(colleagues, start=1):
            actor = actor_of(peer_id, PEGAWAI)
            form = ratings.rating_form(db.session, actor, cast.period, cast.subordinate)
            assert form.rater_kind == "peer"
            assert form.items and not any(item.key.startswith("rhk:") for item in form.items)
            entries = [
                ratings.Entry(key=i.key, value=ATAS if i.scale == "ekspektasi" else 5)
                for i in form.items
            ]
            ratings.save_ratings(
                db.session, actor, cast.period, cast.subordinate, entries, submit=True
            )
            summary = peers.peer_summary(db.session, cast.period, cast.subordinate)
            assert summary.answered == number
            assert summary.shown is (number >= 3)
        assert summary.per_indicator  # three answers: now shown, per behaviour


def test_ratee_never_reads_individual_peer_ratings(app):
    cast = cast_of(app)
    headers = api_token(app, "pegawai")
    rows = app.test_client().get("/api/v1/rating/?q=(page_size:500)", headers=headers).json
    assert rows["count"] >= 0
    assert all(row["rater_kind"] != "peer" for row in rows["result"])
    supervisor_rows = (
        app.test_client()
        .get("/api/v1/rating/?q=(page_size:500)", headers=api_token(app, "penilai"))
        .json
    )
    # the supervisor neither: peers' input reaches them only as an aggregate of three or more
    assert supervisor_rows["count"] > 0
    assert all(row["rater_kind"] != "peer" for row in supervisor_rows["result"])
    assert cast.subordinate


def test_unassigned_colleague_cannot_rate(app):
    cast = cast_of(app)
    outsider = _colleagues(app, cast, 6)[-1]
    with app.app_context(), pytest.raises(NotFound):
        ratings.rating_form(db.session, actor_of(outsider, PEGAWAI), cast.period, cast.subordinate)


def test_drawn_peers_come_from_the_same_unit(app):
    cast = cast_of(app)
    with app.app_context():
        added = peers.draw_peers(db.session, hr(), cast.period, cast.other_unit_employee, 3, seed=7)
        ratee = db.session.get(Employee, cast.other_unit_employee)
        units = {db.session.get(Employee, a.peer_id).unit_id for a in added}
    assert units == {ratee.unit_id}


def test_ratee_sees_the_peer_aggregate_on_own_form(app):
    from tests.conftest import login

    cast = cast_of(app)
    client = app.test_client()
    login(client, "pegawai")
    html = client.get(f"/penilaian/{cast.period}/{cast.subordinate}").get_data(as_text=True)
    assert 'id="masukan-rekan"' in html
    # an aggregate of at least three; counts of fewer than five people are not written out
    assert "&lt; 5 rekan telah memberi masukan" in html
