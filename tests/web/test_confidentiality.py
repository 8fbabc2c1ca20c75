"""Peer and small-group confidentiality over HTTP, on SQLite and PostgreSQL: the ratee's
evaluation before and after the third peer answer in the API, the panel, the portal and the
PDF; the unit export for Kepegawaian only; small counts on the period page; simulation
answers for a Perumus as aggregates."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import Employee, Evaluation, Period
from app.services.appraisal import distribution, peers, ratings
from app.services.public.confidentiality import MIN_GROUP
from config.roles import PEGAWAI
from tests.conftest import api_token, signed_in, unit_results_download
from tests.workflow.helpers import actor_of, cast_of, supervisor_actor

ATAS, BAWAH = "di_atas_ekspektasi", "di_bawah_ekspektasi"
NOTE = "Masukan rekan kerja ditampilkan setelah minimal 3 rekan menjawab"


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def scene(app) -> dict[str, Any]:
    """`pegawai` rated by their supervisor, and three colleagues asked for peer feedback."""
    cast = cast_of(app)
    with app.app_context():
        ratee = db.session.get(Employee, cast.subordinate)
        colleagues = list(
            db.session.scalars(
                select(Employee.id)
                .where(
                    Employee.unit_id == ratee.unit_id,
                    Employee.id.notin_([ratee.id, ratee.supervisor_id]),
                )
                .order_by(Employee.id)
                .limit(3)
            )
        )
        boss = supervisor_actor(cast)
        form = ratings.rating_form(db.session, boss, cast.period, cast.subordinate)
        entries = [
            ratings.Entry(key=i.key, value=ATAS if i.scale == "ekspektasi" else 4)
            for i in form.items
        ]
        ratings.save_ratings(db.session, boss, cast.period, cast.subordinate, entries, submit=True)
        peers.assign_peers(db.session, boss, cast.period, cast.subordinate, colleagues)
        evaluation_id = db.session.scalar(
            select(Evaluation.id).where(
                Evaluation.period_id == cast.period, Evaluation.employee_id == cast.subordinate
            )
        )
    return {"cast": cast, "peers": colleagues, "evaluation": evaluation_id}


def _peer_answers(app, scene, peer_id: int) -> None:
    cast = scene["cast"]
    with app.app_context():
        actor = actor_of(peer_id, PEGAWAI)
        form = ratings.rating_form(db.session, actor, cast.period, cast.subordinate)
        entries = [
            ratings.Entry(key=i.key, value=BAWAH if i.scale == "ekspektasi" else 1)
            for i in form.items
        ]
        ratings.save_ratings(db.session, actor, cast.period, cast.subordinate, entries, submit=True)


def _api_evaluation(app, username: str, evaluation_id: int) -> dict[str, Any]:
    response = app.test_client().get(
        f"/api/v1/evaluation/{evaluation_id}", headers=api_token(app, username)
    )
    assert response.status_code == 200
    return response.json["result"]


def _pdf_text(client, scene) -> str:
    cast = scene["cast"]
    response = client.get(f"/laporan/evaluasi/{cast.subordinate}/{cast.period}.pdf")
    assert response.status_code == 200
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)


def test_before_and_after_the_third_peer_answer(app, scene):
    evaluation_id = scene["evaluation"]
    alone = _api_evaluation(app, "pegawai", evaluation_id)
    assert alone["kerahasiaan"] is None  # nobody but the supervisor has answered yet

    _peer_answers(app, scene, scene["peers"][0])
    stored = _api_evaluation(app, "kepegawaian", evaluation_id)  # HR reads it as computed
    assert stored["kerahasiaan"] is None
    peer_codes = [
        code
        for code, value in stored["result"]["indicators"].items()
        if value != alone["result"]["indicators"].get(code)
    ]
    assert peer_codes, "one peer's answers changed some combined values"
    for viewer in ("pegawai", "penilai"):
        shown = _api_evaluation(app, viewer, evaluation_id)
        assert NOTE in shown["kerahasiaan"]
        indicators = shown["result"]["indicators"]
        assert all(indicators[code] is None for code in peer_codes)
        # what is shown is exactly what the peer's answer did not change
        assert all(
            value == stored["result"]["indicators"][code]
            for code, value in indicators.items()
            if value is not None
        )
        assert stored["result"]["indicators"] != indicators
    # the list answers the same way
    listed = (
        app.test_client()
        .get(
            "/api/v1/evaluation/?q=(columns:!(id,predicate,status))",
            headers=api_token(app, "pegawai"),
        )
        .json
    )
    row = next(r for r in listed["result"] if r["id"] == evaluation_id)
    assert NOTE in row["kerahasiaan"]

    pegawai = signed_in(app, "pegawai")
    panel = pegawai.get(f"/evaluationmodelview/show/{evaluation_id}").get_data(as_text=True)
    assert NOTE in panel
    assert NOTE in pegawai.get("/kinerja-saya/").get_data(as_text=True)
    assert NOTE in " ".join(_pdf_text(pegawai, scene).split())
    hr_pdf = " ".join(_pdf_text(signed_in(app, "kepegawaian"), scene).split())
    assert NOTE not in hr_pdf

    _peer_answers(app, scene, scene["peers"][1])
    assert NOTE in _api_evaluation(app, "pegawai", evaluation_id)["kerahasiaan"]
    _peer_answers(app, scene, scene["peers"][2])
    three = _api_evaluation(app, "pegawai", evaluation_id)
    computed = _api_evaluation(app, "kepegawaian", evaluation_id)
    assert three["kerahasiaan"] is None
    assert three["result"] == computed["result"]  # the aggregate of three, as computed
    assert three["predicate"] == computed["predicate"]
    panel = pegawai.get(f"/evaluationmodelview/show/{evaluation_id}").get_data(as_text=True)
    assert NOTE not in panel
    assert NOTE not in " ".join(_pdf_text(pegawai, scene).split())


def test_the_unit_export_is_for_kepegawaian_only(app, scene):
    cast = scene["cast"]
    with app.app_context():
        unit_id = db.session.get(Employee, cast.subordinate).unit_id
    for refused in ("pegawai", "penilai"):
        answer = unit_results_download(signed_in(app, refused), unit_id, cast.period)
        assert answer.status_code in (302, 403)
    answer = unit_results_download(signed_in(app, "kepegawaian"), unit_id, cast.period)
    book = load_workbook(io.BytesIO(answer.data))
    assert book.active.max_row > 2


def test_small_counts_on_the_period_page_only_for_kepegawaian(app):
    with app.app_context():
        closed = db.session.scalars(select(Period).where(Period.state == "closed")).first()
        findings = distribution.period_findings(db.session, closed)
    small = [(u, p, n) for u in findings for p, n in u.counts.items() if 0 < n < MIN_GROUP]
    assert small, "the demo has a unit with a predikat held by fewer than five people"
    unit, predicate, count = small[0]
    page = signed_in(app, "pegawai").get(f"/periode/{closed.id}").get_data(as_text=True)
    assert "&lt; 5" in page
    assert f"{unit.total} pegawai dievaluasi" not in page
    hr_page = signed_in(app, "kepegawaian").get(f"/periode/{closed.id}").get_data(as_text=True)
    assert "&lt; 5" not in hr_page
    assert f"{unit.total} pegawai dievaluasi" in hr_page


def _changed_text(app) -> str:
    from pathlib import Path

    text = Path(app.config["KINERJA_RULES_DIR"], "kinerja-asn-aceh.yaml").read_text()
    old = "  sesuai_ekspektasi:\n    di_atas_ekspektasi: baik\n    sesuai_ekspektasi: baik\n"
    assert old in text
    return text.replace(
        old,
        "  sesuai_ekspektasi:\n    di_atas_ekspektasi: sangat_baik\n"
        "    sesuai_ekspektasi: sangat_baik\n",
    )


def _closed_period(app) -> int:
    """Simulations run on periods in review or closed: the demo's closed quarter."""
    with app.app_context():
        return db.session.scalars(select(Period.id).where(Period.state == "closed")).first()


def test_simulation_answers_a_perumus_in_aggregates_only(app, scene):
    body = {"period_id": _closed_period(app), "yaml_text": _changed_text(app)}
    client = app.test_client()

    def simulated(username: str) -> Any:
        headers = api_token(app, username)
        job = client.post("/api/v1/ruleset/simulate", json=body, headers=headers)
        assert job.status_code == 202
        return client.get(f"/api/v1/ruleset/simulation/{job.json['job']['id']}", headers=headers)

    officer = simulated("perumus")
    assert officer.status_code == 200
    answer = officer.json["result"]
    assert "changes" not in answer
    assert answer["pairs"] and answer["units"]
    assert any(p["before"] == "baik" and p["after"] == "sangat_baik" for p in answer["pairs"])
    counts = [p["count"] for p in answer["pairs"]] + [u["changed"] for u in answer["units"]]
    counts += [u["employees"] for u in answer["units"]]
    counts += [n for u in answer["units"] for side in ("before", "after") for n in u[side].values()]
    counts += [r[k] for r in answer["awards"] for k in ("before", "after", "gained", "lost")]
    assert all(c is None or c == 0 or c >= MIN_GROUP for c in counts)
    assert all(u["tpp_before"] is None for u in answer["units"] if u["employees"] is None)
    with app.app_context():
        nips = set(db.session.scalars(select(Employee.nip)))
        names = set(db.session.scalars(select(Employee.name)))
    text = officer.get_data(as_text=True)
    assert not any(nip in text for nip in nips)
    assert not any(f'"{name}"' in text for name in names)
    admin = simulated("admin").json["result"]
    assert admin["changes"] and admin["changes"][0]["nip"] in nips
    assert sum(u["employees"] for u in admin["units"]) == admin["employees"]


def test_simulation_page_and_excel_for_a_perumus_hold_no_person(app, scene):
    with app.app_context():
        version_id = db.session.scalar(
            select(Period.ruleset_version_id).where(Period.id == scene["cast"].period)
        )
        nips = set(db.session.scalars(select(Employee.nip)))
    perumus = signed_in(app, "perumus")
    page = perumus.get(f"/aturan/{version_id}/simulasi?period_id={_closed_period(app)}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "perubahan-skpa" in html and "daftar-berubah" not in html
    assert not any(nip in html for nip in nips)
