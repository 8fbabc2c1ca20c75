"""Kinerja Saya over HTTP: an employee sees their own result and why, its history as SVG, and
records monthly realisation that the supervisor answers; nobody else's dashboard is reachable."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditLog, Realisation
from tests.conftest import signed_in
from tests.web.people import approved_rhk, people


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return people(app)


def test_employee_sees_closed_period_result_and_why_in_indonesian(app, cast):
    html = signed_in(app, "pegawai").get(f"/kinerja-saya/?periode={cast.closed_period}").text
    assert 'id="predikat-saya"' in html
    assert 'id="penjelasan-saya"' in html and " → " in html
    assert "Hasil kerja" in html and "Perilaku kerja" in html


def test_history_is_an_inline_svg_without_internet_assets(app, cast):
    html = signed_in(app, "pegawai").get("/kinerja-saya/").text
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert "Triwulan III 2026" in html
    assert "google" not in html.lower() and "cdn." not in html


def test_other_employees_dashboard_is_404_for_an_employee(app, cast):
    client = signed_in(app, "pegawai")
    for other in (cast.colleague, cast.stranger, cast.penilai):
        response = client.get(f"/kinerja-saya/pegawai/{other}")
        assert response.status_code == 404
        assert "Pegawai tidak ditemukan" in response.text
    assert client.get("/kinerja-saya/pegawai/999999").status_code == 404


def test_supervisor_chain_and_hr_see_a_subordinates_dashboard(app, cast):
    for username in ("penilai", "atasan", "kepegawaian", "admin"):
        response = signed_in(app, username).get(f"/kinerja-saya/pegawai/{cast.pegawai}")
        assert response.status_code == 200, username
    stranger = signed_in(app, "penilai").get(f"/kinerja-saya/pegawai/{cast.stranger}")
    assert stranger.status_code == 404


def test_anonymous_and_policy_officer_cannot_open_dashboards(app, cast):
    anonymous = app.test_client().get("/kinerja-saya/")
    assert anonymous.status_code in (302, 401, 403)
    assert signed_in(app, "perumus").get("/kinerja-saya/").status_code in (302, 403)


def test_employee_records_monthly_realisation_and_supervisor_answers(app, cast):
    rhk = approved_rhk(app, cast.pegawai, cast.open_period)
    pegawai = signed_in(app, "pegawai")
    response = pegawai.post(
        "/kinerja-saya/realisasi",
        data={
            "rhk_id": rhk[0],
            "month": "2026-10",
            "text": "Laporan Oktober selesai",
            "value": "100%",
        },
        follow_redirects=True,
    )
    assert "Realisasi disimpan" in response.text and "Laporan Oktober selesai" in response.text
    with app.app_context():
        entry = db.session.scalar(select(Realisation).where(Realisation.rhk_id == rhk[0]))
        entry_id = entry.id
    penilai = signed_in(app, "penilai")
    answer = penilai.post(
        f"/kinerja-saya/realisasi/{entry_id}/umpan-balik",
        data={"feedback": "Bagus, lampirkan daftar hadir."},
        follow_redirects=True,
    )
    assert "Umpan balik disimpan" in answer.text
    html = pegawai.get("/kinerja-saya/").text
    assert "Bagus, lampirkan daftar hadir." in html
    with app.app_context():
        actions = set(
            db.session.scalars(
                select(AuditLog.action).where(
                    AuditLog.object_type == "realisation", AuditLog.object_id == entry_id
                )
            )
        )
    assert actions == {"realisasi.catat", "realisasi.umpan_balik"}


def test_realisation_outside_the_period_or_by_others_is_refused(app, cast):
    rhk = approved_rhk(app, cast.pegawai, cast.open_period)
    pegawai = signed_in(app, "pegawai")
    outside = pegawai.post(
        "/kinerja-saya/realisasi",
        data={"rhk_id": rhk[0], "month": "2026-03", "text": "Maret"},
        follow_redirects=True,
    )
    assert "di luar periode" in outside.text
    empty = pegawai.post(
        "/kinerja-saya/realisasi",
        data={"rhk_id": rhk[0], "month": "2026-11", "text": "  "},
        follow_redirects=True,
    )
    assert "wajib diisi" in empty.text
    garbage = pegawai.post("/kinerja-saya/realisasi", data={"rhk_id": "x", "month": "bulan"})
    assert garbage.status_code == 404
    # the supervisor may not write the employee's realisation
    penilai = signed_in(app, "penilai")
    refused = penilai.post(
        "/kinerja-saya/realisasi",
        data={"rhk_id": rhk[0], "month": "2026-11", "text": "oleh atasan"},
        follow_redirects=True,
    )
    assert "Hanya pegawai pemilik SKP" in refused.text
    # a colleague's supervisor reply by a non-supervisor
    with app.app_context():
        entry_id = db.session.scalar(select(Realisation.id).where(Realisation.rhk_id == rhk[0]))
    assert (
        pegawai.post(
            f"/kinerja-saya/realisasi/{entry_id}/umpan-balik",
            data={"feedback": "sendiri"},
            follow_redirects=True,
        ).text.count("pejabat penilai (atasan langsung)")
        == 1
    )


def test_dashboard_by_nip_follows_the_reach_rule(app, cast):
    from app.models import Employee

    with app.app_context():
        nip = db.session.get(Employee, cast.pegawai).nip
        stranger = db.session.get(Employee, cast.stranger).nip
    found = signed_in(app, "kepegawaian").get(f"/kinerja-saya/cari?nip={nip}")
    assert found.status_code == 302
    assert found.headers["Location"].endswith(f"/kinerja-saya/pegawai/{cast.pegawai}")
    assert signed_in(app, "penilai").get(f"/kinerja-saya/cari?nip={nip}").status_code == 302
    refused = signed_in(app, "penilai").get(f"/kinerja-saya/cari?nip={stranger}")
    assert refused.status_code == 404 and "tidak ditemukan" in refused.text
    assert signed_in(app, "kepegawaian").get("/kinerja-saya/cari?nip=abc").status_code == 404
