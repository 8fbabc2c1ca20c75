"""Four-eyes approval (`KINERJA_FOUR_EYES`) holds on every way to publish, not only the panel:
the command line and the REST API store a new text as a draft awaiting a second policy officer,
refuse to publish an unapproved draft, and publish exactly the approved text. SQLite and
PostgreSQL; the API over real HTTP with real tokens, the command through the Flask CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli.ruleset_versions import AWAITING_APPROVAL
from app.extensions import db
from app.models import RuleSetVersion
from app.services.actor import Actor
from app.services.authoring import yaml_edit
from app.services.reports.workspace import workspace
from config.roles import PERUMUS
from tests.conftest import api_token
from tests.web.test_rule_forms_web import add_second_officer, published


@pytest.fixture()
def four_eyes(isolated_demo_app):
    isolated_demo_app.config["KINERJA_FOUR_EYES"] = True
    add_second_officer(isolated_demo_app)
    yield isolated_demo_app
    isolated_demo_app.config["KINERJA_FOUR_EYES"] = False


def versions_of(app) -> list[tuple[int, str, int | None]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(
                    RuleSetVersion.id, RuleSetVersion.status, RuleSetVersion.approved_by_id
                ).order_by(RuleSetVersion.id)
            )
        ]


def test_the_command_line_publishes_only_an_approved_text(four_eyes, tmp_path: Path):
    app = four_eyes
    start = published(app)
    text = yaml_edit.with_weights(start.yaml_text, {"raters.peer": 26})
    rules = tmp_path / "aturan.yaml"
    rules.write_text(text, encoding="utf-8")
    runner = app.test_cli_runner()
    publish = ["kinerja", "rules", "publish", str(rules), "--note", "peer 26"]

    first = runner.invoke(args=publish)
    assert first.exit_code == AWAITING_APPROVAL, first.output
    assert "menunggu persetujuan Perumus Kebijakan kedua" in first.output
    after_first = versions_of(app)
    draft_id, status, approver = after_first[-1]
    assert status == "draft" and approver is None
    assert published(app).id == start.id  # nothing published

    again = runner.invoke(args=publish)  # still waiting: the same draft, no second one
    assert again.exit_code == AWAITING_APPROVAL and versions_of(app) == after_first

    with app.app_context():  # the second officer finds it in the to-do list
        second_id = db.session.scalar(
            select(app.appbuilder.sm.user_model.id).where(
                app.appbuilder.sm.user_model.username == "perumus2"
            )
        )
        second = Actor(user_id=second_id, username="perumus2", roles=frozenset({PERUMUS}))
        todos = {t.key for section in workspace(db.session, second).sections for t in section.todos}
        assert "aturan_setujui" in todos
    client = app.test_client()
    approved = client.post(
        f"/api/v1/ruleset/{draft_id}/approve", json={}, headers=api_token(app, "perumus2")
    )
    assert approved.status_code == 200, approved.get_data(as_text=True)

    rules.write_text(text + "# diubah setelah disetujui\n", encoding="utf-8")
    other = runner.invoke(args=publish)  # not the approved text: a new draft, not published
    assert other.exit_code == AWAITING_APPROVAL and published(app).id == start.id
    rules.write_text(text, encoding="utf-8")
    done = runner.invoke(args=publish)
    assert done.exit_code == 0, done.output
    assert "Diterbitkan" in done.output
    now = published(app)
    assert now.id == draft_id and now.yaml_text == text


def test_the_api_publishes_only_an_approved_draft(four_eyes):
    app = four_eyes
    start = published(app)
    client = app.test_client()
    first, second = api_token(app, "perumus"), api_token(app, "perumus2")
    text = yaml_edit.with_weights(start.yaml_text, {"raters.peer": 24})
    before = len(versions_of(app))

    stored = client.post(
        "/api/v1/ruleset/publish", json={"yaml_text": text, "note": "24"}, headers=first
    )
    assert stored.status_code == 202
    assert stored.json["status"] == "draft" and "menunggu persetujuan" in stored.json["message"]
    draft_id = stored.json["id"]
    refused = client.post("/api/v1/ruleset/publish", json={"id": draft_id}, headers=first)
    assert refused.status_code == 409 and "belum disetujui" in refused.get_data(as_text=True)
    own = client.post(f"/api/v1/ruleset/{draft_id}/approve", json={}, headers=first)
    assert own.status_code == 403  # the author cannot approve their own draft
    assert len(versions_of(app)) == before + 1 and published(app).id == start.id

    ok = client.post(f"/api/v1/ruleset/{draft_id}/approve", json={}, headers=second)
    assert ok.status_code == 200
    done = client.post(
        "/api/v1/ruleset/publish", json={"id": draft_id, "note": "24"}, headers=first
    )
    assert done.status_code == 201 and done.json["status"] == "published"
    assert published(app).yaml_text == text

    # a text sent again after approval publishes the approved draft (no third version)
    text2 = yaml_edit.with_weights(text, {"raters.peer": 22})
    draft2 = client.post("/api/v1/ruleset/publish", json={"yaml_text": text2}, headers=first)
    assert draft2.status_code == 202
    client.post(f"/api/v1/ruleset/{draft2.json['id']}/approve", json={}, headers=second)
    again = client.post("/api/v1/ruleset/publish", json={"yaml_text": text2}, headers=first)
    assert again.status_code == 201 and again.json["id"] == draft2.json["id"]


def test_without_four_eyes_the_headless_paths_publish_at_once(isolated_demo_app, tmp_path):
    app = isolated_demo_app
    assert app.config["KINERJA_FOUR_EYES"] is False
    text = yaml_edit.with_weights(published(app).yaml_text, {"raters.peer": 21})
    rules = tmp_path / "aturan.yaml"
    rules.write_text(text, encoding="utf-8")
    done = app.test_cli_runner().invoke(
        args=["kinerja", "rules", "publish", str(rules), "--note", "peer 21"]
    )
    assert done.exit_code == 0 and published(app).yaml_text == text
