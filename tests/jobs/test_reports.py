"""Every evaluation document of a unit as one ZIP file, made as a job and served as stored."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Employee, Evaluation, Job, Period, Unit
from app.services import reports
from tests.conftest import signed_in
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
            select(func.count()).select_from(Evaluation)
            .join(Employee, Employee.id == Evaluation.employee_id)
            .where(Evaluation.period_id == period.id, Employee.unit_id.in_(units))
        )  # fmt: skip
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
