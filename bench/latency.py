"""Latency of the supervisor's rating form, the employee list, Hasil Evaluasi and Daftar
Penilaian (with their page weight), Kepegawaian's workspace (the
landing page, whose to-do counts run over every employee) and the progress of the open period
(per SKPA for Kepegawaian, per team for a supervisor, and the list of who is behind) under 20
concurrent users.

A provincial database (40,000 employees) is served by gunicorn (2 workers, as on the 2-core
production machine); 20 client threads, each signed in, request the pages for a fixed time.
The clients run on the same 2 cores, so the figures are conservative.
"""

from __future__ import annotations

import http.cookiejar
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.close_period import ROOT, _app, _databases, prepare
from bench.options import Options

TITLE = "Page latency under 20 concurrent users (gunicorn, 40,000 employees)"
PACKAGES = ("gunicorn", "Flask-AppBuilder", "SQLAlchemy", "psycopg")
USERS = 20
THINK = (0.5, 1.5)  # seconds a user reads a page before the next request (uniform)
PASSWORD = "Bench-Kinerja-2026"


def _accounts(url: str, period_id: int) -> tuple[int, int]:
    """A supervisor login linked to a section head, and a Kepegawaian login."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Employee, Period
    from app.services.people import accounts

    app = _app(url)
    with app.app_context():
        roles = accounts.ensure_roles(db.session)
        boss = db.session.execute(
            select(Employee.supervisor_id, func.count())
            .where(Employee.supervisor_id.is_not(None))
            .group_by(Employee.supervisor_id)
            .order_by(func.count().desc(), Employee.supervisor_id)
            .limit(1)
        ).first()[0]
        ratee = db.session.scalar(select(Employee.id).where(Employee.supervisor_id == boss))
        supervisor, _ = accounts.ensure_user(
            db.session,
            username="bench-penilai",
            password=PASSWORD,
            first_name="Bench",
            last_name="Penilai",
            email="p@bench.local",
            roles=[roles["Pejabat Penilai"], roles["Pegawai"]],
        )
        accounts.ensure_user(
            db.session,
            username="bench-hr",
            password=PASSWORD,
            first_name="Bench",
            last_name="HR",
            email="hr@bench.local",
            roles=[roles["Kepegawaian"]],
        )
        db.session.get(Employee, boss).user_id = supervisor.id
        db.session.get(Period, period_id).state = "open"
        db.session.commit()
        return boss, ratee


def _progress_facts(url: str, period_id: int) -> None:
    """What the progress page counts besides SKPs: a peer request per peer rating pair (all
    answered), and the live evaluations of nine employees in ten (the tenth incomplete)."""
    from sqlalchemy import func, insert, select, text

    from app.extensions import db
    from app.models import Employee, Evaluation, PeerAssignment, Period, Rating
    from app.models.base import utcnow

    app = _app(url)
    with app.app_context():
        now = utcnow()
        version = db.session.get(Period, period_id).ruleset_version_id
        pairs = db.session.execute(
            select(Rating.ratee_id, Rating.rater_id)
            .where(Rating.period_id == period_id, Rating.rater_kind == "peer")
            .group_by(Rating.ratee_id, Rating.rater_id)
        ).all()
        db.session.execute(
            insert(PeerAssignment),
            [
                {
                    "period_id": period_id,
                    "ratee_id": ratee,
                    "peer_id": peer,
                    "created_at": now,
                    "answered_at": now,
                }
                for ratee, peer in pairs
            ],
        )
        staff = db.session.scalars(select(Employee.id).order_by(Employee.id)).all()
        db.session.execute(
            insert(Evaluation),
            [
                {
                    "period_id": period_id,
                    "employee_id": ident,
                    "ruleset_version_id": version,
                    "status": "belum_lengkap" if ident % 10 == 0 else "lengkap",
                    "predicate": None if ident % 10 == 0 else "baik",
                    "result": {},
                    "computed_at": now,
                    "lock_version": 1,
                }
                for ident in staff
            ],
        )
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Evaluation)) == len(staff)
        if db.engine.dialect.name == "postgresql":  # as autovacuum would before anyone looks:
            db.session.execute(text("ANALYZE"))  # planning on stale row counts is not the test
            db.session.commit()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _opener(base: str, username: str) -> urllib.request.OpenerDirector:
    """A signed-in client (the login form, with its CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    data = {"username": username, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    opener.open(f"{base}/login/", urllib.parse.urlencode(data).encode()).read()
    return opener


def _load(base: str, openers: list, paths: list[str], seconds: float) -> list[float]:
    """Each user requests the paths in turn until time is up; returns latencies in ms."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user(index: int) -> None:
        opener, mine = openers[index % len(openers)], []
        turn = index
        pause = random.Random(index)
        while time.monotonic() < stop:
            time.sleep(pause.uniform(*THINK))
            started = time.perf_counter()
            with opener.open(base + paths[turn % len(paths)]) as response:
                response.read()
                assert response.status == 200
            mine.append((time.perf_counter() - started) * 1000)
            turn += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=user, args=(i,)) for i in range(USERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def _row(name: str, values: list[float], seconds: float) -> str:
    ordered = sorted(values)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    median = statistics.median(ordered)
    return (
        f"| {name} | {len(values):,} | {len(values) / seconds:.0f} "
        f"| {median:.0f} ms | {p95:.0f} ms | {ordered[-1]:.0f} ms |"
    )


def run(options: Options) -> str:
    employees = options.size or (400 if options.quick else 40_000)
    seconds = 5.0 if options.quick else 60.0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        name, url = _databases(Path(tmp))[-1]  # PostgreSQL when reachable: production's
        facts = prepare(url, employees, options.seed)
        boss, ratee = _accounts(url, facts["period_id"])
        _progress_facts(url, facts["period_id"])
        port = _free_port()
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-latency"}
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "run:app",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(f"{base}/login/", timeout=1).read()
                    break
                except OSError:
                    time.sleep(0.2)
            supervisors = [_opener(base, "bench-penilai") for _ in range(2)]
            staff = [_opener(base, "bench-hr") for _ in range(2)]
            form = f"/penilaian/{facts['period_id']}/{ratee}"
            lists = [f"/employeemodelview/list/?page_EmployeeModelView={n}" for n in range(20)]
            _load(base, supervisors, [form], 2.0)  # warm-up
            rows.append(
                _row("supervisor's rating form", _load(base, supervisors, [form], seconds), seconds)
            )
            rows.append(
                _row(
                    "employee list (Kepegawaian, 40,000 rows, 20 pages)",
                    _load(base, staff, lists, seconds),
                    seconds,
                )
            )
            rows.append(
                _row(
                    f"workspace with to-do counts (Kepegawaian, {employees:,} employees)",
                    _load(base, staff, ["/"], seconds),
                    seconds,
                )
            )
            progress = f"/periode/{facts['period_id']}/progres"
            rows.append(
                _row(
                    f"period progress per SKPA (Kepegawaian, {employees:,} employees)",
                    _load(base, staff, [progress], seconds),
                    seconds,
                )
            )
            rows.append(
                _row(
                    "period progress of the supervisor's own team",
                    _load(base, supervisors, [progress], seconds),
                    seconds,
                )
            )
            behind = [f"{progress}/daftar?jenis=belum_lengkap&halaman={n}" for n in range(1, 21)]
            rows.append(
                _row(
                    "employees not yet completely rated (Kepegawaian, 20 pages)",
                    _load(base, staff, behind, seconds),
                    seconds,
                )
            )
            results = [
                f"/evaluationmodelview/list/?page_EvaluationModelView={n}" for n in range(20)
            ]
            rows.append(
                _row(
                    "Hasil Evaluasi list (Kepegawaian, 20 pages)",
                    _load(base, staff, results, seconds),
                    seconds,
                )
            )
            ratings = [f"/ratingmodelview/list/?page_RatingModelView={n}" for n in range(20)]
            rows.append(
                _row(
                    "Daftar Penilaian list (Kepegawaian, 20 pages)",
                    _load(base, staff, ratings, seconds),
                    seconds,
                )
            )
            weights = [
                (page, len(staff[0].open(base + path).read()))
                for page, path in (
                    ("Hasil Evaluasi list", results[0]),
                    ("Daftar Penilaian list", ratings[0]),
                    ("employee list", lists[0]),
                )
            ]
        finally:
            server.terminate()
            try:  # on a busy machine gunicorn may take a while: never lose the figures to it
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return "\n".join(
        [
            f"Database: {name}. {USERS} virtual users for {seconds:.0f} s per page, each signed"
            f" in through the login form and pausing {THINK[0]}–{THINK[1]} s between requests"
            " (a person reading the page); gunicorn 2 sync workers. Target: p95 under 200 ms"
            " (300 ms for the workspace and progress pages). The progress page reuses the"
            " figures a worker counted for up to KINERJA_PROGRESS_MAX_AGE seconds (default 30):"
            " most of its requests are served from them, and one in a while pays for the count"
            " (four aggregate queries).",
            "",
            "| page | requests | req/s | median | p95 | max |",
            "|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
            "Page weight (HTML of the first page, as Kepegawaian; filters search on the server and",
            "embed no list of employees or units). Target: under 300 KB.",
            "",
            "| page | bytes |",
            "|---|---:|",
            *[f"| {page} | {size:,} |" for page, size in weights],
        ]
    )
