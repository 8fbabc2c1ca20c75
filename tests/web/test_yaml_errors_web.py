"""A policy officer's broken YAML answered in Indonesian at the right line and column on every
path: the service's check, the editor page after saving, the editor's live validation, the REST
validation report and the command line (SQLite and PostgreSQL where a database is involved)."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from app.cli.rules import rules
from app.extensions import db
from app.models import RuleSetVersion
from app.services.actor import Actor
from app.services.authoring import ruleset_versions as versions
from config.roles import PERUMUS
from tests.conftest import api_token, signed_in

SHIPPED = (Path(__file__).resolve().parents[2] / "rules" / "kinerja-asn-aceh.yaml").read_text(
    encoding="utf-8"
)
OFFICER = Actor(user_id=None, username="perumus", roles=frozenset({PERUMUS}))

# A label whose closing quote was forgotten: the parser stops dozens of lines further down, where
# a later quote closed it; the officer is sent to the opening quote.
UNCLOSED = SHIPPED.replace("    label: Hasil Kerja\n", '    label: "Hasil Kerja\n', 1)
UNCLOSED_LINE = next(n for n, row in enumerate(UNCLOSED.splitlines(), 1) if '"Hasil' in row)
UNCLOSED_SAYS = f'Baris {UNCLOSED_LINE}, kolom 12: Tanda kutip " dibuka di sini tetapi tidak'

# One space too many before a key.
INDENTED = SHIPPED.replace(
    "    scale: ekspektasi\n    source: rhk", "     scale: ekspektasi\n    source: rhk", 1
)
INDENTED_LINE = next(
    n for n, row in enumerate(INDENTED.splitlines(), 1) if row.startswith("     scale")
)
INDENTED_SAYS = f"Baris {INDENTED_LINE}, kolom 6: Indentasi baris ini lebih dalam"


def _said(issue: dict | object) -> str:
    """An issue as the editor writes it."""
    line, col, message = (
        (issue["line"], issue["col"], issue["message"])
        if isinstance(issue, dict)
        else (issue.line, issue.col, issue.message)
    )
    return f"Baris {line}, kolom {col}: {message}"


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.mark.parametrize(("text", "says"), [(UNCLOSED, UNCLOSED_SAYS), (INDENTED, INDENTED_SAYS)])
def test_the_service_check_places_the_mistake(app, text, says):
    with app.app_context():
        issues = versions.check(db.session, text)
    assert len(issues) == 1 and _said(issues[0]).startswith(says), issues


def test_the_editor_page_shows_the_mistake_after_saving(app):
    with app.app_context():
        parent = db.session.scalars(
            select(RuleSetVersion).where(RuleSetVersion.status == "published")
        ).first()
        draft = versions.create_draft(db.session, OFFICER, parent.yaml_text, parent.id)
        draft_id, lock_version = draft.id, draft.lock_version
    client = signed_in(app, "perumus")
    saved = client.post(
        f"/aturan/{draft_id}/ubah", data={"yaml_text": UNCLOSED, "lock_version": lock_version}
    )
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"])
    assert page.status_code == 200
    shown = html.unescape(page.text)
    assert "Draf disimpan, tetapi belum valid: 1 masalah." in shown
    assert UNCLOSED_SAYS in shown
    assert "found unexpected" not in shown and "while scanning" not in shown


def test_the_editors_live_validation_answers_in_indonesian(app):
    client = signed_in(app, "perumus")
    response = client.post("/aturan/validasi", json={"yaml_text": INDENTED})
    assert response.status_code == 200 and response.json["valid"] is False
    assert [_said(i)[: len(INDENTED_SAYS)] for i in response.json["issues"]] == [INDENTED_SAYS]


def test_the_api_validation_report_answers_in_indonesian(app):
    response = app.test_client().post(
        "/api/v1/ruleset/validate", json={"yaml_text": UNCLOSED}, headers=api_token(app, "perumus")
    )
    assert response.status_code == 200 and response.json["valid"] is False
    (issue,) = response.json["issues"]
    assert _said(issue).startswith(UNCLOSED_SAYS)


def test_publishing_through_the_api_refuses_with_the_place_in_words(app):
    response = app.test_client().post(
        "/api/v1/ruleset/publish",
        json={"yaml_text": INDENTED, "note": "coba"},
        headers=api_token(app, "perumus"),
    )
    assert response.status_code in (400, 422), response.text
    assert f"baris {INDENTED_LINE} kolom 6: Indentasi baris ini" in response.text


def test_the_command_line_report_gives_file_line_column_in_indonesian(tmp_path):
    path = tmp_path / "aturan.yaml"
    path.write_text(UNCLOSED, encoding="utf-8")
    result = CliRunner().invoke(rules, ["check", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith(f'{path}:{UNCLOSED_LINE}:12: Tanda kutip " dibuka di sini')
