"""The production log format (JSON lines) with a real sign-in, an API token and a submitted
rating form: every line parses, carries a request id, and nothing personal or secret appears."""

from __future__ import annotations

import io
import json
import logging

import pytest
from sqlalchemy import select

from app.cli.demo import DEMO_PASSWORD
from app.extensions import db
from app.models import Employee
from app.ops.logs import configure_logging
from tests.conftest import signed_in
from tests.workflow.helpers import cast_of
from tests.workflow.test_rating_flow import _all_values, _approved_skp


@pytest.fixture()
def json_log():
    stream = io.StringIO()
    configure_logging("json", "INFO", stream=stream)
    yield stream
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "kinerja"]:
        root.removeHandler(handler)


def test_sign_in_and_rating_leave_no_personal_data_in_the_log(isolated_demo_app, json_log):
    app = isolated_demo_app
    cast = cast_of(app)
    token = (
        app.test_client()
        .post(
            "/api/v1/security/login",
            json={"username": "pegawai", "password": DEMO_PASSWORD, "provider": "db"},
        )
        .json["access_token"]
    )
    app.test_client().post("/login/", data={"username": "penilai", "password": "salah-sandi-x"})
    _approved_skp(app, cast)
    penilai = signed_in(app, "penilai")
    url = f"/penilaian/{cast.period}/{cast.subordinate}"
    values = _all_values(penilai.get(url).get_data(as_text=True))
    assert penilai.post(url, data={**values, "action": "submit"}).status_code == 302
    cookie = penilai.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    with app.app_context():
        people = db.session.scalars(
            select(Employee).where(Employee.id.in_([cast.subordinate, cast.supervisor]))
        ).all()  # noqa: E501
        personal = [p.nip for p in people] + [p.name for p in people]

    lines = [line for line in json_log.getvalue().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    requests = [r for r in records if r["event"] == "request"]
    assert len(requests) >= 8
    assert all(r["request_id"] and r["endpoint"] and r["status"] for r in requests)
    assert any(r["user_id"] for r in requests)
    text = json_log.getvalue()
    for secret in (DEMO_PASSWORD, "salah-sandi-x", token, cookie, *personal):
        assert secret not in text
    assert "penilai" not in text and "pegawai" not in text  # user names neither
