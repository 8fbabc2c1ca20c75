"""Documents over HTTP: the evaluation PDF holds the employee's predikat (read back from its
text), a unit's results export to Excel, and both follow the same reach rules."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.domain.enums import label
from app.extensions import db
from app.models import Employee, Evaluation, Unit
from tests.conftest import signed_in, unit_results_download
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
                select(Employee, Evaluation)
                .outerjoin(
                    Evaluation,
                    (Evaluation.employee_id == Employee.id)
                    & (Evaluation.period_id == cast.closed_period),
                )
                .where(Employee.unit.has(Unit.parent_id == unit_id) | (Employee.unit_id == unit_id))
            )
        }
    response = unit_results_download(
        signed_in(demo_app, "kepegawaian"), unit_id, cast.closed_period
    )
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[2]]
    assert header[:8] == [
        "NIP",
        "Nama",
        "Jabatan",
        "Unit",
        "Golongan",
        "Status evaluasi",
        "Predikat (perhitungan)",
        "Predikat akhir",
    ]
    rows = {r[0]: r[7] or "" for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows == expected
    refused = unit_results_download(signed_in(demo_app, "penilai"), unit_id, cast.closed_period)
    assert refused.status_code in (302, 403)
    unknown = signed_in(demo_app, "kepegawaian").post(
        "/laporan/unit-excel",
        data={"unit_id": 999999, "period_id": cast.closed_period},
        follow_redirects=True,
    )
    assert "Unit tidak ditemukan" in unknown.get_data(as_text=True)


def test_pdf_signature_block_place_date_provisional_mark_and_unicode_names(demo_app, cast):
    """An open period's document says SEMENTARA; the signature block carries place, date,
    both signatories and their NIP on one page; a name outside Latin-1 prints as written;
    empty awards and training are sentences."""
    from app.domain.wording import long_date
    from app.services.reports.reports import evaluation_pdf
    from tests.workflow.helpers import hr

    with demo_app.app_context():
        evaluation = db.session.scalar(
            select(Evaluation)
            .join(Employee, Employee.id == Evaluation.employee_id)
            .where(Evaluation.period_id == cast.open_period, Employee.supervisor_id.is_not(None))
        )
        employee = db.session.get(Employee, evaluation.employee_id)
        original = employee.name
        employee.name = "Teuku Ālī Ğöçmen Nguyễn"
        db.session.commit()
        try:
            data = evaluation_pdf(
                db.session, hr(), employee.id, cast.open_period, place="Banda Aceh"
            )
            nips = (employee.nip, employee.supervisor.nip)
        finally:
            employee.name = original
            db.session.commit()
    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert len(reader.pages) <= 2
    assert "SEMENTARA" in pages[0]
    assert "Teuku Ālī Ğöçmen Nguyễn" in text
    last = pages[-1]
    assert "Banda Aceh, " in last and long_date(date.today()).split()[-1] in last
    assert "Pegawai yang dinilai," in last and "Pejabat penilai kinerja," in last
    assert f"NIP {nips[0]}" in last and f"NIP {nips[1]}" in last
    assert "Tidak ada penghargaan" in text or "Penghargaan\n•" in text
    assert "\n- \n" not in text and "\n-\n" not in text
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert any("DejaVu" in str(fonts[name].get_object()["/BaseFont"]) for name in fonts)


def _units_found(client, term: str) -> dict[int, str]:
    response = client.get(f"/cari/unit?q={term}")
    assert response.status_code == 200
    return {hit["id"]: hit["text"] for hit in response.get_json()["results"]}


def test_reports_page_chooses_the_unit_with_a_server_side_picker(demo_app, cast):
    """Kepegawaian picks the unit by typing its code or name (/cari/unit); the page embeds no
    list of units, and the picked unit's id is what the export takes."""
    with demo_app.app_context():
        units = db.session.scalar(select(db.func.count()).select_from(Unit))
        unit = db.session.get(Employee, cast.pegawai).unit
        code, name, unit_id = unit.code, unit.name, unit.id
    client = signed_in(demo_app, "kepegawaian")
    page = client.get("/laporan/").text
    pickers = re.findall(r'<select class="kinerja-typeahead[^>]*>', page)
    assert len(pickers) == 2 and all('data-source="/cari/unit"' in p for p in pickers)
    assert all('name="unit_id"' in p for p in pickers)
    for picker_id in ("ekspor-unit-pilih", "pdf-unit-pilih"):
        assert f'<label for="{picker_id}">Unit kerja</label>' in page
    assert name not in page and page.count("<option") < units  # periods only, no unit list
    assert _units_found(client, code)[unit_id] == name
    assert _units_found(client, name[:6])[unit_id] == name
    export = unit_results_download(client, unit_id, cast.closed_period)
    assert export.status_code == 200 and export.mimetype.endswith("spreadsheetml.sheet")


def test_unit_picker_finds_only_units_the_viewer_may_see(demo_app, cast):
    with demo_app.app_context():
        own = db.session.get(Employee, cast.pegawai).unit
        other = db.session.get(Employee, cast.stranger).unit
        own_id, own_name, other_id, other_name = own.id, own.name, other.id, other.name
    pegawai = signed_in(demo_app, "pegawai")
    assert set(_units_found(pegawai, own_name[:6])) <= {own_id}
    assert other_id not in _units_found(pegawai, other_name[:6])
    assert other_id in _units_found(signed_in(demo_app, "kepegawaian"), other_name[:6])
    page = signed_in(demo_app, "penilai").get("/laporan/").text
    assert "kinerja-typeahead" not in page  # the unit exports are Kepegawaian's
