"""REST resource `peer`: the peers screen's row-level rules over HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Employee
from tests.conftest import api_token
from tests.workflow.helpers import cast_of


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return cast_of(app)


def _colleagues(app, employee_id: int, count: int) -> list[int]:
    with app.app_context():
        ratee = db.session.get(Employee, employee_id)
        return list(
            db.session.scalars(
                select(Employee.id)
                .where(
                    Employee.unit_id == ratee.unit_id,
                    Employee.id.not_in([ratee.id, ratee.supervisor_id or 0]),
                )
                .order_by(Employee.id)
                .limit(count)
            )
        )


def test_supervisor_assigns_own_subordinates_peers_and_lists_only_those(app, cast):
    client, headers = app.test_client(), api_token(app, "penilai")
    peers = _colleagues(app, cast.subordinate, 3)
    created = client.post(
        "/api/v1/peer/",
        headers=headers,
        json={"period": cast.period, "ratee": cast.subordinate, "peers": peers},
    )
    assert created.status_code == 201, created.json
    assert sorted(row["peer_id"] for row in created.json["result"]) == sorted(peers)
    refused = client.post(
        "/api/v1/peer/",
        headers=headers,
        json={
            "period": cast.period,
            "ratee": cast.other_unit_employee,
            "peers": _colleagues(app, cast.other_unit_employee, 3),
        },
    )
    assert refused.status_code == 404
    hr = api_token(app, "kepegawaian")
    drawn = client.post(
        "/api/v1/peer/",
        headers=hr,
        json={"period": cast.period, "ratee": cast.other_unit_employee, "draw": 3, "seed": 2},
    )
    assert drawn.status_code == 201 and len(drawn.json["result"]) == 3
    mine = client.get("/api/v1/peer/?q=(page_size:100)", headers=headers).json
    assert {row["ratee"]["id"] for row in mine["result"]} == {cast.subordinate}
    everyone = client.get("/api/v1/peer/?q=(page_size:100)", headers=hr).json
    assert {row["ratee"]["id"] for row in everyone["result"]} == {
        cast.subordinate,
        cast.other_unit_employee,
    }
    other_row = next(
        r["id"] for r in everyone["result"] if r["ratee"]["id"] == cast.other_unit_employee
    )
    assert client.get(f"/api/v1/peer/{other_row}", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/peer/{other_row}", headers=headers).status_code == 404


def test_ratee_cannot_learn_or_choose_peers(app, cast):
    client, headers = app.test_client(), api_token(app, "pegawai")
    assert client.get("/api/v1/peer/", headers=headers).status_code == 403
    response = client.post(
        "/api/v1/peer/",
        headers=headers,
        json={"period": cast.period, "ratee": cast.subordinate, "draw": 3},
    )
    assert response.status_code == 403


def test_bad_bodies_are_400_and_withdrawal_works_until_answered(app, cast):
    client, headers = app.test_client(), api_token(app, "penilai")
    for body in (
        {},
        {"period": cast.period},
        {"period": cast.period, "ratee": cast.subordinate, "peers": "1,2"},
        {"period": cast.period, "ratee": cast.subordinate, "peers": [cast.subordinate]},
    ):
        response = client.post("/api/v1/peer/", headers=headers, json=body)
        assert response.status_code == 400, body
        assert "message" in response.json
    rows = client.get("/api/v1/peer/?q=(page_size:100)", headers=headers).json["result"]
    withdrawn = client.delete(f"/api/v1/peer/{rows[0]['id']}", headers=headers)
    assert withdrawn.status_code == 200
    assert client.get(f"/api/v1/peer/{rows[0]['id']}", headers=headers).status_code == 404
