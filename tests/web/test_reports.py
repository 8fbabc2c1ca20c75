"""Documents over HTTP: the evaluation PDF holds the employee's predikat (read back from its
text), a unit's results export to Excel, and both follow the same reach rules."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.domain.enums import label
from app.extensions import db
from app.models import Employee, Evaluation, Unit
from tests.conftest import signed_in
from tests.web.people import people


@pytest.fixture(scope="module")
def cast(demo_app):
    return people(demo_app)


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_pdf_opens_and_holds_the_employees_predicate(demo_app, cast):
    with demo_app.app_context():
        evaluation = db.session.scalar(
            select(Evaluation).where(
                Evaluation.employee_id == cast.pegawai, Evaluation.period_id == cast.closed_period
            )
        )
        employee = db.session.get(Employee, cast.pegawai)
        predicate, nip, name = evaluation.final_predicate, employee.nip, employee.name
    response = signed_in(demo_app, "pegawai").get(
        f"/laporan/evaluasi/{cast.pegawai}/{cast.closed_period}.pdf"
    )
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = _pdf_text(response.data)
    assert "DOKUMEN EVALUASI KINERJA PEGAWAI" in text
    assert nip in text and name in text
    assert f"Predikat kinerja pegawai: {label(predicate) or 'Belum ada'}" in text


def test_pdf_follows_the_reach_rule(demo_app, cast):
    url = f"/laporan/evaluasi/{cast.colleague}/{cast.closed_period}.pdf"
    assert signed_in(demo_app, "pegawai").get(url).status_code == 404
    for username in ("penilai", "kepegawaian"):
        assert signed_in(demo_app, username).get(url).status_code == 200, username
    missing = signed_in(demo_app, "pegawai").get(f"/laporan/evaluasi/{cast.pegawai}/999999.pdf")
    assert missing.status_code == 404 and "Periode tidak ditemukan" in missing.text


def test_unit_results_export_to_excel_for_kepegawaian_only(demo_app, cast):
    with demo_app.app_context():
        unit = db.session.get(Employee, cast.pegawai).unit
        while unit.parent_id is not None:
            unit = db.session.get(Unit, unit.parent_id)
        unit_id = unit.id
        expected = {
            e.nip: label(ev.final_predicate) if ev else ""
            for e, ev in db.session.execute(
                select(Employee, Evaluation).outerjoin(
                    Evaluation, (Evaluation.employee_id == Employee.id)
                    & (Evaluation.period_id == cast.closed_period))
                .where(Employee.unit.has(Unit.parent_id == unit_id) | (Employee.unit_id == unit_id))
            )
        }  # fmt: skip
    url = f"/laporan/unit/{unit_id}/{cast.closed_period}.xlsx"
    response = signed_in(demo_app, "kepegawaian").get(url)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[2]]
    assert header[:8] == ["NIP", "Nama", "Jabatan", "Unit", "Golongan", "Status evaluasi",
                          "Predikat (perhitungan)", "Predikat akhir"]  # fmt: skip
    rows = {r[0]: r[7] or "" for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows == expected
    refused = signed_in(demo_app, "penilai").get(url)
    assert refused.status_code in (302, 403)
    assert (
        signed_in(demo_app, "kepegawaian")
        .get(f"/laporan/unit/999999/{cast.closed_period}.xlsx")
        .status_code
        == 404
    )
