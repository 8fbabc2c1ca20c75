"""deploy/: the systemd units pass `systemd-analyze verify`, gunicorn's settings follow the
environment (forwarded headers trusted only with a declared proxy), the nginx site passes the
headers the app relies on."""

from __future__ import annotations

import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("kinerja-*.*"))


def test_every_service_has_a_unit():
    names = {unit.name for unit in UNITS}
    expected = {"kinerja-web.service", "kinerja-worker.service", "kinerja-scheduler.service"}
    assert expected | {"kinerja-backup.service", "kinerja-backup.timer"} <= names


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze tidak terpasang"
)
def test_units_pass_systemd_analyze_verify(tmp_path):
    """The units as shipped, with /opt/kinerja pointed at this checkout so that the executables
    they name exist (verify checks them)."""
    venv_bin = Path(sys.executable).parent
    for unit in UNITS:
        text = unit.read_text().replace("/opt/kinerja/.venv/bin", str(venv_bin))
        text = text.replace("/opt/kinerja", str(ROOT)).replace("User=kinerja", "User=root")
        text = text.replace("Group=kinerja", "Group=root")
        (tmp_path / unit.name).write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [line for line in done.stderr.splitlines() if "kinerja" in line]
    assert done.returncode == 0 and not problems, done.stderr


def test_units_run_the_documented_commands():
    web = (DEPLOY / "systemd" / "kinerja-web.service").read_text()
    assert "gunicorn --config /opt/kinerja/deploy/gunicorn.conf.py run:app" in web
    assert "EnvironmentFile=/etc/kinerja/kinerja.env" in web
    assert "ProtectSystem=strict" in web and "NoNewPrivileges=yes" in web
    worker = (DEPLOY / "systemd" / "kinerja-worker.service").read_text()
    assert re.search(r"^ExecStart=/opt/kinerja/\.venv/bin/kinerja worker$", worker, re.M)


def _gunicorn_settings(monkeypatch, **env: str) -> dict:
    for name in ("KINERJA_TRUSTED_PROXIES", "KINERJA_PROXY_ADDRESSES", "KINERJA_WEB_WORKERS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_trusts_forwarded_headers_only_with_a_declared_proxy(monkeypatch):
    assert _gunicorn_settings(monkeypatch)["forwarded_allow_ips"] == ""
    behind = _gunicorn_settings(monkeypatch, KINERJA_TRUSTED_PROXIES="1")
    assert behind["forwarded_allow_ips"] == "127.0.0.1"
    elsewhere = _gunicorn_settings(
        monkeypatch, KINERJA_TRUSTED_PROXIES="1", KINERJA_PROXY_ADDRESSES="10.1.2.3"
    )
    assert elsewhere["forwarded_allow_ips"] == "10.1.2.3"
    settings = _gunicorn_settings(monkeypatch, KINERJA_WEB_WORKERS="3")
    assert settings["workers"] == 3 and settings["preload_app"] is False


def test_gunicorn_accepts_the_config_and_loads_the_app(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/k.db", "SECRET_KEY": "x" * 32}
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "--check-config", "--config", str(DEPLOY / "gunicorn.conf.py"), "run:app"]
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr


def test_nginx_site_passes_the_proxy_headers_and_limits_uploads():
    site = (DEPLOY / "nginx" / "kinerja.conf").read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Request-ID"):
        assert f"proxy_set_header {header}" in site
    assert "return 301 https://" in site and "ssl_certificate " in site
    assert re.search(r"client_max_body_size 11m;", site)
