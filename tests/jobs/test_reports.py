"""A unit's reports made as jobs and served as stored: every evaluation document as one ZIP file,
the results as one Excel workbook."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import Employee, Evaluation, Job, Period, Unit
from app.services.reports import reports
from tests.conftest import signed_in, unit_results_download
from tests.workflow.helpers import hr


@pytest.fixture(scope="module")
def app(isolated_demo_app):
    return isolated_demo_app


def _closed_period_and_root(app) -> tuple[int, int, int]:
    with app.app_context():
        period = db.session.scalars(select(Period).where(Period.state == "closed")).first()
        root = db.session.scalars(select(Unit).where(Unit.parent_id.is_(None))).first()
        units, frontier = {root.id}, {root.id}
        while frontier:
            frontier = set(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
            units |= frontier
        evaluated = db.session.scalar(
            select(func.count())
            .select_from(Evaluation)
            .join(Employee, Employee.id == Evaluation.employee_id)
            .where(Evaluation.period_id == period.id, Employee.unit_id.in_(units))
        )
        return period.id, root.id, evaluated


def test_unit_documents_are_made_once_and_downloaded_as_stored(app):
    period_id, unit_id, evaluated = _closed_period_and_root(app)
    client = signed_in(app, "kepegawaian")
    queued = client.post("/laporan/unit-pdf", data={"unit_id": unit_id, "period_id": period_id})
    assert queued.status_code == 302 and "/laporan/pekerjaan/" in queued.headers["Location"]
    page = client.get(queued.headers["Location"]).get_data(as_text=True)
    assert 'id="unduh-laporan"' in page
    job_id = int(queued.headers["Location"].rstrip("/").split("/")[-1])
    download = client.get(f"/laporan/pekerjaan/{job_id}/berkas")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert download.data == job.file_data and job.chunks_total >= 1
    names = zipfile.ZipFile(io.BytesIO(download.data)).namelist()
    assert len(names) == evaluated > 0
    with app.app_context():
        first = names[0].removeprefix("evaluasi-kinerja-").removesuffix(".pdf")
        employee_id = db.session.scalar(select(Employee.id).where(Employee.nip == first))
        expected = reports.evaluation_pdf(db.session, hr(), employee_id, period_id)
    stored = zipfile.ZipFile(io.BytesIO(download.data)).read(names[0])
    assert stored[:5] == b"%PDF-" and len(stored) > 0 and expected[:5] == b"%PDF-"


def test_only_kepegawaian_makes_or_reads_unit_documents(app):
    period_id, unit_id, _ = _closed_period_and_root(app)
    client = signed_in(app, "pegawai")
    refused = client.post("/laporan/unit-pdf", data={"unit_id": unit_id, "period_id": period_id})
    assert refused.status_code in (302, 403)
    with app.app_context():
        job_id = db.session.scalar(select(Job.id).where(Job.kind == "laporan"))
    if job_id is not None:
        assert client.get(f"/laporan/pekerjaan/{job_id}/berkas").status_code in (302, 403, 404)


def test_unit_results_workbook_is_made_in_chunks_and_served_as_stored(app, monkeypatch):
    monkeypatch.setattr(reports, "XLSX_CHUNK", 7)  # several chunks even on the demo
    period_id, unit_id, evaluated = _closed_period_and_root(app)
    client = signed_in(app, "kepegawaian")
    download = unit_results_download(client, unit_id, period_id)
    assert download.status_code == 200 and download.mimetype.endswith("spreadsheetml.sheet")
    with app.app_context():
        job = db.session.scalars(
            select(Job).where(Job.kind == "laporan").order_by(Job.id.desc())
        ).first()
        assert job.params["format"] == "xlsx" and download.data == job.file_data
        units, frontier = {unit_id}, {unit_id}
        while frontier:
            frontier = set(db.session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
            units |= frontier
        staff = list(db.session.scalars(select(Employee.nip).where(Employee.unit_id.in_(units))))
        assert job.chunks_total == -(-len(staff) // 7) > 1
        assert job.result["employees"] == len(staff)
    sheet = load_workbook(io.BytesIO(download.data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert sorted(r[0] for r in rows) == sorted(staff)
    assert sum(1 for r in rows if r[5] != "Belum dievaluasi") == evaluated
    assert [c.value for c in sheet[2]][:2] == ["NIP", "Nama"]
    assert any(str(c.value).startswith("Tingkat ") for c in sheet[2])
