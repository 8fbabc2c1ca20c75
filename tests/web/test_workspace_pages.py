"""The landing page is each person's workspace, and every to-do link leads to a page that
opens; the peers screen and the SKP and realisation forms behind those links."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Realisation, Skp
from tests.conftest import signed_in
from tests.web.people import approved_rhk, people


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return people(app)


def _todo_links(html: str) -> list[str]:
    block = html.split('id="daftar-tugas"', 1)[1]
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"#]+)"', block)]


@pytest.mark.parametrize("username", ["pegawai", "penilai", "kepegawaian", "perumus", "admin"])
def test_every_role_lands_on_a_workspace_whose_links_open(app, username):
    client = signed_in(app, username)
    page = client.get("/")
    assert page.status_code == 200
    assert "Beranda" in page.text and 'id="daftar-tugas"' in page.text
    for link in _todo_links(page.text):
        assert client.get(link).status_code == 200, link


def test_the_employee_is_told_what_to_do_first(app):
    html = signed_in(app, "pegawai").get("/").text
    assert "SKP periode Triwulan IV 2026 belum disusun" in html
    assert "Masa keberatan atas hasil periode Triwulan III 2026 terbuka sampai" in html


def test_peers_screen_is_for_supervisors_and_hr_only(app, cast):
    supervisor = signed_in(app, "penilai")
    assert supervisor.get("/rekan/").status_code == 200
    page = supervisor.get(f"/rekan/{cast.open_period}/{cast.pegawai}")
    assert page.status_code == 200 and "sedikitnya" in page.text
    assert supervisor.get(f"/rekan/{cast.open_period}/{cast.stranger}").status_code == 404
    drawn = supervisor.post(
        f"/rekan/{cast.open_period}/{cast.pegawai}/undi", data={"count": "3"}, follow_redirects=True
    )
    assert "Rekan penilai diundi" in drawn.text and drawn.text.count('data-peer="') == 3
    assert signed_in(app, "pegawai").get("/rekan/").status_code in (302, 403)
    hr = signed_in(app, "kepegawaian")
    assert hr.get(f"/rekan/{cast.open_period}/{cast.stranger}").status_code == 200


def test_rhk_edited_and_deleted_through_the_skp_page(app, cast):
    client = signed_in(app, "pegawai")
    client.get("/skp/saya/")
    with app.app_context():
        skp_id = db.session.scalar(
            select(Skp.id).where(Skp.employee_id == cast.pegawai, Skp.period_id == cast.open_period)
        )
    for text in ("Laporan tersusun", "Data mutakhir"):
        client.post(
            f"/skp/{skp_id}/rhk",
            data={"text": text, "iki": "Persentase", "target": "100%", "kind": "utama"},
        )
    with app.app_context():
        first, second = (r.id for r in db.session.get(Skp, skp_id).rhk)
    edited = client.post(
        f"/skp/{skp_id}/rhk/{first}",
        data={
            "text": "Laporan tersusun tepat waktu",
            "iki": "Persentase",
            "target": "95%",
            "kind": "utama",
        },
        follow_redirects=True,
    )
    assert "RHK diubah" in edited.text and "Laporan tersusun tepat waktu" in edited.text
    deleted = client.post(f"/skp/{skp_id}/rhk/{second}/hapus", follow_redirects=True)
    assert "RHK dihapus" in deleted.text and "Data mutakhir" not in deleted.text
    other = signed_in(app, "penilai").post(
        f"/skp/{skp_id}/rhk/{first}/hapus", follow_redirects=True
    )
    assert "Hanya pemilik SKP" in other.text


def test_second_realisation_of_a_month_is_refused_on_the_dashboard(app, cast):
    rhk = approved_rhk(app, cast.penilai, cast.open_period)[0]
    client = signed_in(app, "penilai")
    body = {"rhk_id": rhk, "month": "2026-12", "text": "Desember pertama"}
    assert (
        "Realisasi disimpan"
        in client.post("/kinerja-saya/realisasi", data=body, follow_redirects=True).text
    )
    again = client.post(
        "/kinerja-saya/realisasi", data={**body, "text": "Desember kedua"}, follow_redirects=True
    )
    assert "sudah diisi" in again.text and "Desember pertama" in again.text
    with app.app_context():
        entry = db.session.scalar(
            select(Realisation).where(Realisation.rhk_id == rhk, Realisation.month == 12)
        )
        assert entry.text == "Desember pertama"
        version = entry.lock_version
    edited = client.post(
        f"/kinerja-saya/realisasi/{entry.id}/ubah",
        data={"text": "Desember (diperbaiki)", "lock_version": version},
        follow_redirects=True,
    )
    assert "Realisasi diubah" in edited.text and "Desember (diperbaiki)" in edited.text


def test_people_without_supervisor_or_account_open_as_a_filtered_list(app):
    from app.models import Employee

    with app.app_context():
        lost = db.session.scalars(
            select(Employee)
            .where(Employee.supervisor_id.is_not(None), Employee.is_unit_head.is_(False))
            .order_by(Employee.id)
        ).first()
        saved, lost.supervisor_id = lost.supervisor_id, None
        db.session.commit()
        name, nip = lost.name, lost.nip
    try:
        hr = signed_in(app, "kepegawaian")
        found = [link for link in _todo_links(hr.get("/").text) if "_flt_0_supervisor" in link]
        assert len(found) == 1
        listing = hr.get(found[0]).text
        assert nip in listing and name in listing
        assert listing.count("<tr") - 1 == 1, "only the one employee nobody can rate"
        accountless = [link for link in _todo_links(hr.get("/").text) if "_flt_0_user" in link]
        assert len(accountless) == 1
        shown = hr.get(accountless[0] + "&psize_EmployeeModelView=100").text
        with app.app_context():
            expected = db.session.scalars(
                select(Employee.nip).where(Employee.user_id.is_(None), Employee.is_active.is_(True))
            ).all()
        assert len(expected) > 100, "the demo has more than a page of employees without one"
        assert shown.count("<tr") - 1 == 100 and f"{len(expected)}" in shown
        on_page = [n for n in expected if n in shown]
        assert len(on_page) == 100, "every row shown is one of them"
    finally:
        with app.app_context():
            db.session.get(Employee, lost.id).supervisor_id = saved
            db.session.commit()
