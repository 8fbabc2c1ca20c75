"""Bukti dukung over HTTP: allowed types by content, size limit, safe names, storage outside
static with checksum, reach (owner, supervisor chain, HR; everyone else 404), soft delete with
audit, and nothing changes in a closed period."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditLog, Evidence, Period, Realisation
from tests.conftest import signed_in
from tests.web.people import approved_rhk, people

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def office(main_part: str, content_type: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{main_part}" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(main_part, "<x/>")
    return buffer.getvalue()


XLSX = office(
    "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
)
DOCX = office(
    "word/document.xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
)


@pytest.fixture(scope="module")
def app(isolated_demo_app, tmp_path_factory):
    isolated_demo_app.config["KINERJA_EVIDENCE_DIR"] = str(tmp_path_factory.mktemp("bukti"))
    return isolated_demo_app


@pytest.fixture(scope="module")
def cast(app):
    return people(app)


@pytest.fixture(scope="module")
def entry(app, cast):
    """A realisation entry of `pegawai` in the open period."""
    rhk = approved_rhk(app, cast.pegawai, cast.open_period)
    client = signed_in(app, "pegawai")
    client.post(
        "/kinerja-saya/realisasi",
        data={"rhk_id": rhk[0], "month": "2026-11", "text": "Rekap November"},
    )
    with app.app_context():
        return db.session.scalar(select(Realisation.id).where(Realisation.rhk_id == rhk[0]))


def _upload(client, entry, name, content):
    return client.post(
        f"/kinerja-saya/realisasi/{entry}/bukti",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Evidence))


def _files(app):
    return sorted(p.name for p in Path(app.config["KINERJA_EVIDENCE_DIR"]).iterdir())


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("laporan.pdf", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        ("foto.JPEG", JPG, "image/jpeg"),
        ("rekap.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "nota.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_each_allowed_type_is_stored_outside_static_with_its_checksum(
    app, entry, name, content, media_type
):
    response = _upload(signed_in(app, "pegawai"), entry, name, content)
    assert "Bukti dukung diunggah" in response.text and name in response.text
    with app.app_context():
        row = db.session.scalars(select(Evidence).order_by(Evidence.id.desc())).first()
        assert (row.original_name, row.media_type, row.size) == (name, media_type, len(content))
        assert row.sha256 == hashlib.sha256(content).hexdigest()
        stored = Path(app.config["KINERJA_EVIDENCE_DIR"]) / row.stored_name
    assert stored.read_bytes() == content
    assert "static" not in str(stored) and name not in row.stored_name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "bukan PDF, JPG, PNG, XLSX atau DOCX"),
        ("skrip.pdf", b"#!/bin/sh\nrm -rf /\n", "bukan PDF"),
        ("arsip.docx", office("isi.txt", "text/plain"), "bukan PDF"),
        ("laporan.exe", PDF, "tidak sesuai dengan nama"),
        ("foto.pdf", PNG, "tidak sesuai dengan nama"),
        ("../../etc/passwd.pdf", PDF, "tidak boleh memuat folder"),
        ("..\\windows\\laporan.pdf", PDF, "tidak boleh memuat folder"),
        ("kosong.pdf", b"", "Berkas kosong"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_stored(
    app, entry, name, content, message
):
    before, files = _count(app), _files(app)
    response = _upload(signed_in(app, "pegawai"), entry, name, content)
    assert message in response.text
    assert _count(app) == before and _files(app) == files


def test_oversized_file_is_refused_and_nothing_stored(app, entry):
    before, files = _count(app), _files(app)
    limit = app.config["KINERJA_MAX_UPLOAD_BYTES"]
    assert limit == 10 * 1024 * 1024
    response = _upload(signed_in(app, "pegawai"), entry, "besar.pdf", PDF + b"0" * limit)
    assert "Berkas terlalu besar: batasnya 10 MB" in response.text
    assert _count(app) == before and _files(app) == files


def test_request_above_the_server_limit_gets_an_indonesian_413(app, entry):
    response = _upload(
        signed_in(app, "pegawai"),
        entry,
        "raksasa.pdf",
        PDF + b"0" * app.config["MAX_CONTENT_LENGTH"],
    )
    assert response.status_code == 413 and "Berkas terlalu besar" in response.text


def test_download_only_by_owner_supervisor_chain_and_hr(app, cast, entry):
    _upload(signed_in(app, "pegawai"), entry, "daftar-hadir.pdf", PDF)
    with app.app_context():
        evidence_id = db.session.scalar(select(func.max(Evidence.id)))
    for username in ("pegawai", "penilai", "atasan", "kepegawaian", "admin"):
        response = signed_in(app, username).get(f"/kinerja-saya/bukti/{evidence_id}")
        assert response.status_code == 200, username
        assert response.data == PDF and response.mimetype == "application/pdf"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    outsider = _outsidersigned_in(app, cast)
    assert outsider.get(f"/kinerja-saya/bukti/{evidence_id}").status_code == 404
    assert app.test_client().get(f"/kinerja-saya/bukti/{evidence_id}").status_code in (302, 401)
    assert signed_in(app, "perumus").get(f"/kinerja-saya/bukti/{evidence_id}").status_code in (
        302,
        403,
    )


def _outsidersigned_in(app, cast):
    """A signed-in employee of another unit (given a login here)."""
    from app.cli.demo import DEMO_PASSWORD
    from app.models import Employee
    from app.services.people import accounts
    from config.roles import PEGAWAI

    with app.app_context():
        stranger = db.session.get(Employee, cast.stranger)
        if stranger.user_id is None:
            roles = accounts.ensure_roles(db.session)
            user, _ = accounts.ensure_user(
                db.session,
                username="orang-lain",
                password=DEMO_PASSWORD,
                first_name="Pegawai unit lain",
                last_name="(uji)",
                email="lain@uji.kinerja.local",
                roles=[roles[PEGAWAI]],
            )
            stranger.user = user
            db.session.commit()
    return signed_in(app, "orang-lain")


def test_delete_is_soft_and_audited_and_hides_the_file(app, entry):
    pegawai = signed_in(app, "pegawai")
    _upload(pegawai, entry, "salah-unggah.png", PNG)
    with app.app_context():
        evidence_id = db.session.scalar(select(func.max(Evidence.id)))
    assert (
        signed_in(app, "penilai")
        .post(f"/kinerja-saya/bukti/{evidence_id}/hapus", follow_redirects=True)
        .text.count("Hanya pemilik atau Kepegawaian")
        == 1
    )
    response = pegawai.post(f"/kinerja-saya/bukti/{evidence_id}/hapus", follow_redirects=True)
    assert "Bukti dukung dihapus" in response.text
    assert pegawai.get(f"/kinerja-saya/bukti/{evidence_id}").status_code == 404
    with app.app_context():
        row = db.session.get(Evidence, evidence_id)
        assert row.deleted_at is not None and row.deleted_by_id is not None
        assert (Path(app.config["KINERJA_EVIDENCE_DIR"]) / row.stored_name).exists()
        actions = list(
            db.session.scalars(
                select(AuditLog.action)
                .where(AuditLog.object_type == "evidence", AuditLog.object_id == evidence_id)
                .order_by(AuditLog.id)
            )
        )
    assert actions == ["bukti.unggah", "bukti.hapus"]


def test_nothing_changes_in_a_closed_period(app, cast, entry):
    pegawai = signed_in(app, "pegawai")
    _upload(pegawai, entry, "sebelum-tutup.pdf", PDF)
    with app.app_context():
        evidence_id = db.session.scalar(select(func.max(Evidence.id)))
        period = db.session.get(Period, cast.open_period)
        period.state = "closed"
        db.session.commit()
    try:
        before, files = _count(app), _files(app)
        upload = _upload(pegawai, entry, "sesudah-tutup.pdf", PDF)
        assert "sudah ditutup" in upload.text
        assert _count(app) == before and _files(app) == files
        delete = pegawai.post(f"/kinerja-saya/bukti/{evidence_id}/hapus", follow_redirects=True)
        assert "sudah ditutup" in delete.text
        feedback = signed_in(app, "penilai").post(
            f"/kinerja-saya/realisasi/{entry}/umpan-balik",
            data={"feedback": "terlambat"},
            follow_redirects=True,
        )
        assert "sudah ditutup" in feedback.text
        with app.app_context():
            assert db.session.get(Evidence, evidence_id).deleted_at is None
            rhk_id = db.session.get(Realisation, entry).rhk_id
        realisation = pegawai.post(
            "/kinerja-saya/realisasi",
            data={"rhk_id": rhk_id, "month": "2026-12", "text": "Desember"},
            follow_redirects=True,
        )
        assert "sudah ditutup" in realisation.text
    finally:
        with app.app_context():
            period = db.session.get(Period, cast.open_period)
            period.state = "open"
            db.session.commit()
