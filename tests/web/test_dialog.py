"""Dialog kinerja and ekspektasi khusus pimpinan over HTTP: the employee and their pejabat
penilai write a threaded record per period, Kepegawaian reads it, nobody else reaches it; the
supervisor sets an expectation per BerAKHLAK value on the SKP and both see it on the rating
form."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, DialogEntry, Period, Skp, SkpExpectation
from tests.conftest import signed_in
from tests.web.people import approved_rhk, people


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return people(app)


def _entries(app, period_id, employee_id) -> list[DialogEntry]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(DialogEntry)
                .where(DialogEntry.period_id == period_id, DialogEntry.employee_id == employee_id)
                .order_by(DialogEntry.id)
            )
        )


def _entry(**fields) -> dict:
    data = {
        "held_on": "2026-11-02",
        "kind": "dialog_kinerja",
        "topic": "Capaian RHK-1 bulan Oktober",
        "notes": "Laporan terlambat dua hari.",
        "follow_up": "Jadwal penyusunan laporan dimajukan seminggu.",
        "reply_to": "",
    }
    data.update(fields)
    return data


def test_employee_and_pejabat_penilai_keep_one_thread(app, cast):
    url = f"/dialog-kinerja/{cast.open_period}/{cast.pegawai}"
    penilai, pegawai = signed_in(app, "penilai"), signed_in(app, "pegawai")
    assert 'id="tambah-dialog"' in penilai.get(url).text
    saved = penilai.post(f"{url}/tambah", data=_entry(), follow_redirects=True)
    assert "Catatan dialog kinerja disimpan." in saved.text
    first = _entries(app, cast.open_period, cast.pegawai)[-1]
    assert (first.author_role, first.author_id, first.kind) == (
        "pejabat_penilai",
        cast.penilai,
        "dialog_kinerja",
    )

    reply = pegawai.post(
        f"{url}/tambah",
        data=_entry(
            held_on="2026-11-03",
            kind="bimbingan_kinerja",
            topic="Kendala data masukan",
            notes="Data dari bidang lain terlambat.",
            follow_up="",
            reply_to=str(first.id),
        ),
        follow_redirects=True,
    )
    assert "Catatan dialog kinerja disimpan." in reply.text
    second = _entries(app, cast.open_period, cast.pegawai)[-1]
    assert (second.author_role, second.reply_to_id, second.follow_up) == ("pegawai", first.id, None)

    page = pegawai.get(url).text
    assert page.index("Capaian RHK-1 bulan Oktober") < page.index("Kendala data masukan")
    assert "2 November 2026" in page and "Bimbingan kinerja (coaching)" in page
    assert "Jadwal penyusunan laporan dimajukan seminggu." in page
    with app.app_context():
        audited = db.session.scalar(
            select(func.count())
            .select_from(AuditLog)
            .where(
                AuditLog.action == "dialog.tambah", AuditLog.object_id.in_([first.id, second.id])
            )
        )
    assert audited == 2


def test_the_thread_shows_on_the_rating_form_and_the_dashboard(app, cast):
    signed_in(app, "penilai").post(
        f"/dialog-kinerja/{cast.open_period}/{cast.pegawai}/tambah",
        data=_entry(topic="Rencana pelatihan"),
    )
    form = signed_in(app, "penilai").get(f"/penilaian/{cast.open_period}/{cast.pegawai}").text
    assert 'id="ringkasan-dialog"' in form and "Rencana pelatihan" in form
    board = signed_in(app, "pegawai").get(f"/kinerja-saya/?periode={cast.open_period}").text
    assert 'id="ringkasan-dialog"' in board and "Rencana pelatihan" in board


def test_only_the_two_of_them_write_and_kepegawaian_only_reads(app, cast):
    url = f"/dialog-kinerja/{cast.open_period}/{cast.pegawai}"
    before = len(_entries(app, cast.open_period, cast.pegawai))
    atasan = signed_in(app, "atasan")  # the supervisor's supervisor: not part of this dialog
    assert atasan.get(url).status_code == 404
    assert atasan.post(f"{url}/tambah", data=_entry()).status_code == 404
    assert 'id="ringkasan-dialog"' not in atasan.get(f"/kinerja-saya/pegawai/{cast.pegawai}").text

    hr = signed_in(app, "kepegawaian")
    page = hr.get(url)
    assert page.status_code == 200 and 'id="dialog-kinerja"' in page.text
    assert 'id="tambah-dialog"' not in page.text
    refused = hr.post(f"{url}/tambah", data=_entry(), follow_redirects=True)
    assert refused.status_code in (200, 403)
    assert signed_in(app, "perumus").get(url).status_code in (302, 403)
    assert len(_entries(app, cast.open_period, cast.pegawai)) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"topic": " "}, "Topik wajib diisi."),
        ({"notes": ""}, "Catatan wajib diisi."),
        ({"held_on": "besok"}, "Tanggal dialog wajib diisi"),
        ({"held_on": "2099-01-01"}, "Tanggal dialog tidak boleh di masa depan."),
        ({"kind": "rapat"}, "Pilih jenis"),
        ({"reply_to": "999999"}, "Catatan yang ditanggapi tidak ada di dialog ini."),
    ],
)
def test_bad_entries_are_refused_with_a_message(app, cast, fields, message):
    url = f"/dialog-kinerja/{cast.open_period}/{cast.pegawai}"
    before = len(_entries(app, cast.open_period, cast.pegawai))
    page = signed_in(app, "pegawai").post(
        f"{url}/tambah", data=_entry(**fields), follow_redirects=True
    )
    assert message in page.text
    assert len(_entries(app, cast.open_period, cast.pegawai)) == before


def test_a_closed_period_keeps_its_thread_final(app, cast):
    url = f"/dialog-kinerja/{cast.closed_period}/{cast.pegawai}"
    penilai = signed_in(app, "penilai")
    assert "Periode sudah ditutup" in penilai.get(url).text
    refused = penilai.post(
        f"{url}/tambah", data=_entry(held_on="2026-09-01"), follow_redirects=True
    )
    assert "sudah ditutup" in refused.text
    assert _entries(app, cast.closed_period, cast.pegawai) == []


def _skp_id(app, cast) -> int:
    approved_rhk(app, cast.pegawai, cast.open_period)
    with app.app_context():
        return db.session.scalar(
            select(Skp.id).where(Skp.period_id == cast.open_period, Skp.employee_id == cast.pegawai)
        )


def test_supervisor_sets_ekspektasi_khusus_shown_beside_each_value(app, cast):
    skp = _skp_id(app, cast)
    penilai, pegawai = signed_in(app, "penilai"), signed_in(app, "pegawai")
    page = penilai.get(f"/ekspektasi-khusus/{skp}").text
    assert 'name="expectation-AKUNTABEL"' in page and "Berorientasi Pelayanan" in page
    text = "Laporan keuangan seksi diserahkan lengkap sebelum tanggal 5 setiap bulan."
    saved = penilai.post(
        f"/ekspektasi-khusus/{skp}/simpan",
        data={"expectation-AKUNTABEL": text, "expectation-KOLABORATIF": " "},
        follow_redirects=True,
    )
    assert "Ekspektasi khusus pimpinan disimpan." in saved.text

    form = penilai.get(f"/penilaian/{cast.open_period}/{cast.pegawai}").text
    assert 'data-value="AKUNTABEL"' in form and text in form
    own = pegawai.get(f"/penilaian/{cast.open_period}/{cast.pegawai}").text  # self-assessment
    assert text in own
    shown = pegawai.get(f"/ekspektasi-khusus/{skp}").text
    assert text in shown and 'name="expectation-AKUNTABEL"' not in shown
    assert 'id="tautan-ekspektasi"' in pegawai.get(f"/skp/{skp}").text

    pegawai.post(f"/ekspektasi-khusus/{skp}/simpan", data={"expectation-AKUNTABEL": "lebih ringan"})
    assert signed_in(app, "atasan").get(f"/ekspektasi-khusus/{skp}").status_code == 404
    with app.app_context():
        rows = (
            db.session.execute(select(SkpExpectation.text).where(SkpExpectation.skp_id == skp))
            .scalars()
            .all()
        )
    assert rows == [text]

    cleared = penilai.post(
        f"/ekspektasi-khusus/{skp}/simpan",
        data={"expectation-AKUNTABEL": ""},
        follow_redirects=True,
    )
    assert "disimpan" in cleared.text
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(SkpExpectation).where(SkpExpectation.skp_id == skp)
            )
            == 0
        )
        assert db.session.get(Period, cast.open_period).state == "open"
