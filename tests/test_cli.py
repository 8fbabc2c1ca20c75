"""`kinerja init` and `kinerja demo`, through the real Flask CLI."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.models import Employee, Period, RuleSetVersion


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_init_is_idempotent_and_takes_the_admin_password_from_the_operator(empty_app):
    from flask_appbuilder.security.sqla.models import Role, User

    runner = empty_app.test_cli_runner()
    first = runner.invoke(
        args=["kinerja", "init", "--admin-username", "operator"],
        input="Sandi-Operator-Aceh\nSandi-Operator-Aceh\n",
    )
    assert first.exit_code == 0, first.output
    assert "Administrator 'operator' dibuat." in first.output
    second = runner.invoke(args=["kinerja", "init"])
    assert second.exit_code == 0, second.output
    with empty_app.app_context():
        roles = set(db.session.scalars(select(Role.name)))
        assert {"Admin", "Kepegawaian", "Perumus Kebijakan", "Pejabat Penilai", "Pegawai"} <= roles
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    assert _count(empty_app, Employee) == 0  # init alone never loads demo data


def test_init_refuses_a_weak_admin_password(empty_app):
    result = empty_app.test_cli_runner().invoke(
        args=["kinerja", "init", "--admin-username", "operator", "--admin-password", "pendek"]
    )
    assert result.exit_code != 0
    assert "minimal" in result.output


def test_demo_if_empty_loads_once(empty_app):
    runner = empty_app.test_cli_runner()
    result = runner.invoke(args=["kinerja", "init", "--demo-if-empty"])
    assert result.exit_code == 0, result.output
    employees = _count(empty_app, Employee)
    assert 180 <= employees <= 220
    assert runner.invoke(args=["kinerja", "init", "--demo-if-empty"]).exit_code == 0
    assert _count(empty_app, Employee) == employees
    refused = runner.invoke(args=["kinerja", "demo"])
    assert refused.exit_code != 0 and "sudah berisi" in refused.output
    with empty_app.app_context():
        states = {p.name: p.state for p in db.session.scalars(select(Period))}
        assert states == {"Triwulan III 2026": "closed", "Triwulan IV 2026": "open"}
        period = db.session.scalars(select(Period).where(Period.state == "open")).one()
        assert period.ruleset_version is not None
        assert period.ruleset_version.status == "published"
        assert _count(empty_app, RuleSetVersion) >= 1


def test_console_script_and_flask_group_offer_the_same_commands():
    root = Path(__file__).resolve().parent.parent
    script = Path(sys.executable).with_name("kinerja")
    direct = subprocess.run([str(script), "--help"], capture_output=True, text=True, cwd=root)
    via_flask = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "run", "kinerja", "--help"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert direct.returncode == 0, direct.stderr
    assert via_flask.returncode == 0, via_flask.stderr
    for command in ("init", "demo", "rules"):
        assert command in direct.stdout and command in via_flask.stdout
