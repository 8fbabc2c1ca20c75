"""REST resource `ruleset`: reading for Kepegawaian, validate/simulate/publish for policy
officers and Admin only; invalid texts are never published through it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import RuleSetVersion
from app.services.authoring import yaml_edit
from tests.conftest import api_token
from tests.web.ruleset_scenario import review_period_id

SHIPPED = (Path(__file__).resolve().parents[2] / "rules" / "kinerja-asn-aceh.yaml").read_text()


def _versions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(RuleSetVersion))


@pytest.mark.parametrize(
    ("role", "read", "write"),
    [
        ("perumus", 200, 200),
        ("admin", 200, 200),
        ("kepegawaian", 200, 403),
        ("penilai", 403, 403),
        ("pegawai", 403, 403),
    ],
)
def test_each_role_reaches_exactly_its_ruleset_endpoints(isolated_demo_app, role, read, write):
    headers = api_token(isolated_demo_app, role)
    client = isolated_demo_app.test_client()
    assert client.get("/api/v1/ruleset/", headers=headers).status_code == read
    assert client.get("/api/v1/ruleset/1/export", headers=headers).status_code == read
    validate = client.post("/api/v1/ruleset/validate", json={"yaml_text": SHIPPED}, headers=headers)
    assert validate.status_code == write
    simulate = client.post(
        "/api/v1/ruleset/simulate",
        json={"period_id": review_period_id(isolated_demo_app), "yaml_text": SHIPPED},
        headers=headers,
    )
    assert simulate.status_code == (202 if write == 200 else 403)
    if write == 200:
        job_id = simulate.json["job"]["id"]
        result = client.get(f"/api/v1/ruleset/simulation/{job_id}", headers=headers)
        assert result.status_code == 200 and result.json["job"]["state"] == "done"
    before = _versions(isolated_demo_app)
    publish = client.post(
        "/api/v1/ruleset/publish", json={"yaml_text": "name: x\n"}, headers=headers
    )
    assert publish.status_code == (400 if write == 200 else 403)
    assert _versions(isolated_demo_app) == before


def test_versions_cannot_be_written_around_the_publish_action(isolated_demo_app):
    headers = api_token(isolated_demo_app, "admin")
    client = isolated_demo_app.test_client()
    before = _versions(isolated_demo_app)
    created = client.post(
        "/api/v1/ruleset/",
        json={"name": "x", "number": 99, "yaml_text": "x", "status": "published"},
        headers=headers,
    )
    assert created.status_code in (404, 405)
    assert client.put(
        "/api/v1/ruleset/1", json={"yaml_text": "x"}, headers=headers
    ).status_code in (
        404,
        405,
    )
    assert client.delete("/api/v1/ruleset/1", headers=headers).status_code in (404, 405)
    assert _versions(isolated_demo_app) == before


def test_validate_answers_with_located_indonesian_issues(isolated_demo_app):
    headers = api_token(isolated_demo_app, "perumus")
    response = isolated_demo_app.test_client().post(
        "/api/v1/ruleset/validate",
        json={"yaml_text": "name: x\nraters: {supervisor: -1}\n"},
        headers=headers,
    )
    assert response.status_code == 200 and response.json["valid"] is False
    issue = response.json["issues"][0]
    assert issue["line"] >= 1 and issue["col"] >= 1 and issue["message"]


def test_api_refuses_bad_bodies(isolated_demo_app):
    headers = api_token(isolated_demo_app, "perumus")
    client = isolated_demo_app.test_client()
    assert client.post("/api/v1/ruleset/validate", json=["x"], headers=headers).status_code == 400
    assert (
        client.post("/api/v1/ruleset/validate", json={"yaml_text": 5}, headers=headers).status_code
        == 400
    )
    assert (
        client.post(
            "/api/v1/ruleset/simulate", json={"yaml_text": SHIPPED}, headers=headers
        ).status_code
        == 400
    )
    assert (
        client.post("/api/v1/ruleset/publish", json={"id": 999999}, headers=headers).status_code
        == 404
    )


def test_publish_through_the_api_then_roll_back(isolated_demo_app):
    headers = api_token(isolated_demo_app, "perumus")
    client = isolated_demo_app.test_client()
    invalid = client.post(
        "/api/v1/ruleset/publish",
        json={"yaml_text": SHIPPED.replace("predicate:", "predikat:", 1)},
        headers=headers,
    )
    assert invalid.status_code == 400 and invalid.json["issues"]
    text = yaml_edit.with_weights(SHIPPED, {"raters.peer": 41})
    simulated = client.post(
        "/api/v1/ruleset/simulate",
        json={"period_id": review_period_id(isolated_demo_app), "yaml_text": text},
        headers=headers,
    )
    assert simulated.status_code == 202
    answer = client.get(
        f"/api/v1/ruleset/simulation/{simulated.json['job']['id']}", headers=headers
    ).json["result"]
    # a Perumus reads counts of fewer than five people as null, and no person
    assert sum(n or 0 for n in answer["before"].values()) <= answer["employees"]
    assert "changes" not in answer
    published = client.post(
        "/api/v1/ruleset/publish", json={"yaml_text": text, "note": "41"}, headers=headers
    )
    assert published.status_code == 201 and published.json["status"] == "published"
    again = client.post("/api/v1/ruleset/publish", json={"yaml_text": text}, headers=headers)
    assert again.status_code == 400  # the same text as the current version
    back = client.post(
        "/api/v1/ruleset/publish", json={"id": 1, "note": "kembali"}, headers=headers
    )
    assert back.status_code == 201 and back.json["number"] > published.json["number"]
    exported = client.get(f"/api/v1/ruleset/{back.json['id']}/export", headers=headers)
    assert exported.get_data(as_text=True) == SHIPPED
