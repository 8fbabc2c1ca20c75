"""Security headers over HTTP: a strict Content-Security-Policy (no inline script), no framing,
no sniffing, a referrer policy, nothing personal cached, and public links that no Host header
can redirect."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import segno

from tests.conftest import api_token, signed_in

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"


@pytest.fixture(scope="module")
def app(demo_app):
    return demo_app


def _csp(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: rest for name, rest in parts}


def _assert_security_headers(response) -> None:
    csp = _csp(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("path", ["/login/", "/publik/", "/publik/unit/BKA", "/tidak-ada"])
def test_anonymous_pages_carry_the_security_headers(app, path):
    response = app.test_client().get(path)
    _assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "path", ["/", "/employeemodelview/list/", "/laporan/", "/penilaian/tim/", "/kinerja-saya/"]
)
def test_personal_pages_are_never_stored(app, path):
    client = signed_in(app, "penilai")
    response = client.get(path)
    assert response.status_code in (200, 302), path
    _assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"


def test_api_answers_are_never_stored(app):
    headers = api_token(app, "admin")
    for path in ("/api/v1/employee/", "/api/v1/period/", "/api/v1/_openapi"):
        response = app.test_client().get(path, headers=headers)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_static_assets_may_be_cached(app):
    ours = app.test_client().get("/static/js/rules_editor.js")
    fabs = app.test_client().get("/static/appbuilder/js/ab.js")
    for response in (ours, fabs):
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=3600"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_name_assets_by_their_content_and_browsers_keep_them_a_year(app, tmp_path):
    """Each asset a page links carries the start of its SHA-256; such an address is kept for a
    year, and a file whose content changes gets a new address."""
    import hashlib
    import re
    import shutil

    page = signed_in(app, "kepegawaian").get("/employeemodelview/list/").text
    linked = re.findall(r'(?:href|src)="(/static/[^"?]+)\?v=([0-9a-f]+)"', page)
    assert len(linked) >= 15, linked
    assert not re.search(r'(?:href|src)="/static/[^"?]+"', page), "an asset without its version"
    folders = {"/static/appbuilder/": app.blueprints["appbuilder"].static_folder}
    for path, version in linked:
        prefix = "/static/appbuilder/" if path.startswith("/static/appbuilder/") else "/static/"
        folder = folders.get(prefix, app.static_folder)
        content = Path(folder, path.removeprefix(prefix)).read_bytes()
        assert version == hashlib.sha256(content).hexdigest()[:12], path
    response = app.test_client().get(f"{linked[0][0]}?v={linked[0][1]}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"

    from flask import url_for

    copy = tmp_path / "static"
    shutil.copytree(app.static_folder, copy)
    original = app.static_folder
    app.static_folder = str(copy)
    try:
        with app.test_request_context():
            before = url_for("static", filename="css/kinerja.css")
            (copy / "css" / "kinerja.css").write_text("body { color: #000; }\n")
            after = url_for("static", filename="css/kinerja.css")
    finally:
        app.static_folder = original
    assert before.split("?v=")[0] == after.split("?v=")[0] and before != after


def test_inline_scripts_of_fab_carry_this_requests_nonce(app):
    """FAB's list and form templates keep small inline scripts; each has the nonce that the
    response's policy allows, and a fresh one per request."""
    client = signed_in(app, "kepegawaian")
    first = client.get("/employeemodelview/list/")
    second = client.get("/employeemodelview/list/")
    nonce = _csp(first)["script-src"].split("'nonce-")[1].rstrip("'")
    assert f'<script nonce="{nonce}">' in first.text
    assert nonce not in second.text


def test_our_templates_have_no_inline_script_or_event_handler():
    """A template with inline code would break under the policy: code lives in static/js."""
    import re

    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            fab_override = "appbuilder" in path.parts and "get_nonce()" in match.group(0)
            if not fab_override:  # FAB's own inline scripts carry the response's nonce
                offenders.append(f"{path.name}: {match.group(0)}")
        for match in re.finditer(r"\son[a-z]+\s*=", text):
            offenders.append(f"{path.name}: {match.group(0)}")
        if "javascript:" in text:
            offenders.append(f"{path.name}: javascript:")
    assert offenders == []


def test_spoofed_host_does_not_change_public_links_or_qr(app):
    public = app.config["KINERJA_PUBLIC_URL"]
    client = app.test_client()
    page = client.get("/publik/", headers={"Host": "evil.example"})
    assert "evil.example" not in page.text
    assert f"{public}/publik/unit/BKA" in page.text
    qr = client.get(
        "/publik/unit/BKA/qr.png",
        headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
    )
    expected = io.BytesIO()
    segno.make(f"{public}/publik/unit/BKA", error="m").save(expected, kind="png", scale=8, border=4)
    assert qr.data == expected.getvalue()


def test_public_url_keeps_a_configured_path_prefix(app):
    with app.test_request_context("/", base_url="http://intranet.local/kinerja"):
        from app.web.links import public_url_for

        app.config["KINERJA_PUBLIC_URL"], saved = (
            "https://kinerja.example/kinerja",
            app.config["KINERJA_PUBLIC_URL"],
        )
        try:
            assert public_url_for("PublicView.feedback", code="BKA") == (
                "https://kinerja.example/kinerja/publik/unit/BKA"
            )
        finally:
            app.config["KINERJA_PUBLIC_URL"] = saved
