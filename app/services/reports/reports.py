"""Documents: the PDF "Dokumen Evaluasi Kinerja Pegawai"; a unit's documents and results.

Both read the stored evaluation (never re-run the engine), so a document always matches what
the employee saw, including an upheld appeal's override beside the computed predikat.
"""

from __future__ import annotations

import base64
import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from app.domain.enums import EvaluationStatus, JobKind, PeriodState, label
from app.domain.wording import WIB, long_date, number
from app.models import Employee, Evaluation, Job, JobChunk, Position, Unit
from app.services import jobs
from app.services.access import reachable_employee
from app.services.actor import Actor
from app.services.appraisal.periods import get_period
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.services.public.confidentiality import shown_evaluation
from app.services.reports.dashboard import evaluation_view
from app.services.unit_of_work import unit_of_work

FONTS = Path(__file__).resolve().parents[2] / "fonts"  # DejaVu Sans, see DejaVu-LICENSE.txt
FONT = "DejaVu"
# The place written above the signatures; a setting of the deployment (KINERJA_DOCUMENT_PLACE).
DEFAULT_PLACE = "Banda Aceh"
SIGNATURE_HEIGHT = 62  # mm: place and date, two titles, space to sign, names and NIP


def _document(title: str) -> FPDF:
    """An A4 document with DejaVu Sans embedded: every name prints as written (ā, ç, ğ ...)."""
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author("Kinerja ASN Aceh")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    return pdf


def _provisional(pdf: FPDF) -> None:
    """A large grey SEMENTARA across the page: the period is open, the result may change."""
    pdf.set_font(FONT, "B", 60)
    pdf.set_text_color(215, 215, 215)
    with pdf.rotation(35, x=105, y=150):
        pdf.text(38, 170, "SEMENTARA")
    pdf.set_text_color(0, 0, 0)


def _evaluation(session: Session, employee_id: int, period_id: int) -> Evaluation:
    evaluation = session.scalar(
        select(Evaluation).where(
            Evaluation.employee_id == employee_id, Evaluation.period_id == period_id
        )
    )
    if evaluation is None:
        raise NotFound("Belum ada hasil evaluasi pegawai ini pada periode tersebut.")
    return evaluation


def _person(pdf: FPDF, title: str, employee: Employee | None) -> None:
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    if employee is None:
        pdf.cell(0, 6, "Tidak ada (belum ditetapkan).", new_x="LMARGIN", new_y="NEXT")
        return
    for key, value in (
        ("Nama", employee.name),
        ("NIP", employee.nip),
        ("Pangkat/Golongan", employee.golongan),
        ("Jabatan", employee.position.name),
        ("Unit kerja", employee.unit.name),
    ):
        pdf.cell(45, 6, key)
        pdf.cell(0, 6, f": {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def evaluation_pdf(
    session: Session,
    actor: Actor,
    employee_id: int,
    period_id: int,
    place: str = DEFAULT_PLACE,
) -> bytes:
    """The evaluation document of one employee in one period, as PDF bytes.

    A period that is not closed yet prints SEMENTARA across every page. The signature block
    (place and date, both signatories with NIP and room to sign) is never split by a page end.
    """
    employee = reachable_employee(session, actor, employee_id)
    period = get_period(session, period_id)
    evaluation = _evaluation(session, employee.id, period.id)
    view = evaluation_view(session, evaluation, shown_evaluation(session, actor, evaluation))
    supervisor = employee.supervisor
    provisional = period.state != PeriodState.CLOSED
    pdf = _document("Dokumen Evaluasi Kinerja Pegawai")
    pdf.add_page()
    if provisional:
        _provisional(pdf)
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, "DOKUMEN EVALUASI KINERJA PEGAWAI", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    pdf.cell(
        0,
        6,
        f"Periode {period.name} ({long_date(period.start_date)} s.d. "
        f"{long_date(period.end_date)}), {label(period.kind)}",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if provisional:
        pdf.set_font(FONT, "B", 10)
        pdf.set_text_color(160, 30, 30)
        notice = "SEMENTARA: periode belum ditutup; hasil dapat berubah sampai periode ditutup."
        pdf.multi_cell(0, 6, notice, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    _person(pdf, "Pegawai yang dinilai", employee)
    _person(pdf, "Pejabat penilai kinerja", supervisor)
    _person(pdf, "Atasan pejabat penilai kinerja", supervisor.supervisor if supervisor else None)

    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, "Hasil evaluasi", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 10)
    pdf.cell(80, 7, "Aspek", border=1)
    pdf.cell(60, 7, "Tingkat", border=1)
    pdf.cell(0, 7, "Skor", border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    for aspect in view.aspects:
        pdf.cell(80, 7, label(aspect.name), border=1)
        pdf.cell(60, 7, label(aspect.level) or "Belum ada", border=1)
        score = "Tidak ada" if aspect.score is None else number(aspect.score)
        pdf.cell(0, 7, score, border=1, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, "B", 12)
    final = label(view.final_predicate) or "Belum ada"
    pdf.cell(0, 8, f"Predikat kinerja pegawai: {final}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    if view.override_reason:
        pdf.multi_cell(
            0,
            6,
            f"Predikat hasil perhitungan: {label(view.predicate)}. {view.override_reason}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if view.confidentiality_note:
        pdf.multi_cell(0, 6, view.confidentiality_note, new_x="LMARGIN", new_y="NEXT")
    if view.status != EvaluationStatus.COMPLETE:
        pdf.multi_cell(
            0,
            6,
            f"Status: {label(view.status)}. {view.message or ''}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    for title, items, none in (
        ("Penghargaan", view.awards, "Tidak ada penghargaan untuk periode ini."),
        (
            "Rekomendasi pelatihan",
            view.training,
            "Tidak ada rekomendasi pelatihan untuk periode ini.",
        ),
    ):
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
        for item in items or [none]:
            pdf.multi_cell(0, 6, f"• {item}" if items else item, new_x="LMARGIN", new_y="NEXT")
    if view.explanation:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 7, "Dasar penetapan (aturan yang berlaku)", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        for text in view.explanation:
            pdf.multi_cell(0, 5, f"• {text}", new_x="LMARGIN", new_y="NEXT")
    _signatures(pdf, place, employee, supervisor, provisional)
    return bytes(pdf.output())


def _signatures(
    pdf: FPDF, place: str, employee: Employee, supervisor: Employee | None, provisional: bool
) -> None:
    """Place and date, both signatories with room to sign, their names and NIP: on one page."""
    pdf.ln(8)
    if pdf.get_y() + SIGNATURE_HEIGHT > pdf.page_break_trigger:
        pdf.add_page()
        if provisional:
            _provisional(pdf)
    pdf.set_font(FONT, "", 10)
    today = datetime.now(WIB).date()
    pdf.cell(90, 6, "")
    pdf.cell(0, 6, f"{place}, {long_date(today)}", new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y()
    pdf.cell(90, 6, "Pegawai yang dinilai,")
    pdf.cell(0, 6, "Pejabat penilai kinerja,", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(y + 30)
    pdf.set_font(FONT, "B", 10)
    pdf.cell(90, 6, employee.name)
    pdf.cell(
        0, 6, supervisor.name if supervisor else "(belum ditetapkan)", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font(FONT, "", 10)
    pdf.cell(90, 6, f"NIP {employee.nip}")
    pdf.cell(0, 6, f"NIP {supervisor.nip}" if supervisor else "", new_x="LMARGIN", new_y="NEXT")


def _unit_ids(session: Session, unit: Unit) -> list[int]:
    """The unit and all its sub-units."""
    ids, frontier = [unit.id], [unit.id]
    while frontier:
        frontier = list(session.scalars(select(Unit.id).where(Unit.parent_id.in_(frontier))))
        ids.extend(i for i in frontier if i not in ids)
    return ids


# --- a unit's documents and results, as background work -------------------------------------
#
# A province's largest SKPA has thousands of employees: its documents (a PDF each) and even its
# results workbook take longer than a page may block, so both are jobs of one kind, "laporan",
# with the format in the job's parameters. The file is kept on the job and served as stored.

KIND = JobKind.LAPORAN
PDF_CHUNK = 100
XLSX_CHUNK = 2_000
FORMATS = {"pdf": "Dokumen evaluasi kinerja (PDF dalam ZIP)", "xlsx": "Hasil evaluasi (Excel)"}
MIMETYPES = {
    "pdf": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
RESULT_HEADER = (
    "NIP",
    "Nama",
    "Jabatan",
    "Unit",
    "Golongan",
    "Status evaluasi",
    "Predikat (perhitungan)",
    "Predikat akhir",
    "Alasan perubahan",
)


@unit_of_work()
def request_unit_report(
    session: Session, actor: Actor, unit_id: int, period_id: int, fmt: str = "pdf"
) -> Job:
    """Queue a unit's (and its sub-units') report of one period: every evaluation document
    (`pdf`, one ZIP file) or the results workbook (`xlsx`); commits. HR only; the same report
    already queued or running is returned instead of a second one."""
    if not actor.is_hr:
        raise Forbidden("Laporan unit hanya untuk Kepegawaian.")
    if fmt not in FORMATS:
        raise InvalidInput("Jenis laporan harus PDF atau Excel.", field="format")
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise NotFound("Unit tidak ditemukan.")
    period = get_period(session, period_id)
    key = f"laporan:{fmt}:unit:{unit.id}:periode:{period.id}"
    try:
        job = jobs.claim(
            session,
            KIND,
            key,
            actor,
            period_id=period.id,
            params={"unit_id": unit.id, "unit": unit.name, "code": unit.code, "format": fmt},
        )
    except jobs.JobRunning as running:
        return running.job
    return job


def report_format(job: Job) -> str:
    """Jobs queued before Excel became one carry no format: they are PDF documents."""
    return (job.params or {}).get("format", "pdf")


def _plan(session: Session, job: Job) -> list[jobs.PlannedChunk]:
    """PDF: the employees with a result (a document each); Excel: everyone in the unit, those
    not yet evaluated too (the workbook says so)."""
    unit = session.get(Unit, job.params["unit_id"])
    if unit is None:  # checked when the job was requested; units are not deleted
        raise NotFound("Unit tidak ditemukan.")
    chosen = select(Employee.id).where(Employee.unit_id.in_(_unit_ids(session, unit)))
    if report_format(job) == "pdf":
        chosen = chosen.join(
            Evaluation,
            (Evaluation.employee_id == Employee.id) & (Evaluation.period_id == job.period_id),
        )
        return jobs.chunked(list(session.scalars(chosen.order_by(Employee.id))), PDF_CHUNK)
    ordered = chosen.order_by(Employee.unit_id, Employee.name, Employee.id)
    return jobs.chunked(list(session.scalars(ordered)), XLSX_CHUNK)


def _run_chunk(session: Session, job: Job, chunk: JobChunk) -> dict[str, Any]:
    if report_format(job) == "xlsx":
        return {"rows": _result_rows(session, job.period_id or 0, chunk.employee_ids)}
    actor = jobs.job_actor(job)
    nips = dict(
        session.execute(
            select(Employee.id, Employee.nip).where(Employee.id.in_(chunk.employee_ids))
        ).all()
    )
    files = {}  # base64 in the chunk row until the job packs them
    for employee_id in chunk.employee_ids:
        content = evaluation_pdf(session, actor, employee_id, jobs.period_of(job))
        files[f"evaluasi-kinerja-{nips[employee_id]}.pdf"] = base64.b64encode(content).decode()
    return {"files": files}


def _result_rows(session: Session, period_id: int, employee_ids: list[int]) -> list[dict]:
    """One workbook row per employee, in the planned order, read in one query (jabatan and
    unit joined, not loaded per row)."""
    position, home = aliased(Position), aliased(Unit)
    found: dict[int, list[Any]] = {  # employee id -> nip, name, jabatan, unit, golongan, result
        employee_id: row
        for employee_id, *row in session.execute(
            select(
                Employee.id,
                Employee.nip,
                Employee.name,
                position.name,
                home.name,
                Employee.golongan,
                Evaluation,
            )
            .outerjoin(position, position.id == Employee.position_id)
            .join(home, home.id == Employee.unit_id)
            .outerjoin(
                Evaluation,
                (Evaluation.employee_id == Employee.id) & (Evaluation.period_id == period_id),
            )
            .where(Employee.id.in_(employee_ids))
        )
    }
    rows = []
    for employee_id in employee_ids:
        nip, name, jabatan, unit, golongan, evaluation = found[employee_id]
        result = (evaluation.result or {}) if evaluation else {}
        rows.append(
            {
                "cells": [
                    nip,
                    name,
                    jabatan or "–",
                    unit,
                    golongan,
                    label(evaluation.status) if evaluation else "Belum dievaluasi",
                    label(evaluation.predicate) if evaluation else "",
                    label(evaluation.final_predicate) if evaluation else "",
                    (evaluation.override_reason or "") if evaluation else "",
                ],
                "levels": {
                    aspect: label((found_aspect or {}).get("level"))
                    for aspect, found_aspect in (result.get("aspects") or {}).items()
                },
                "awards": "; ".join(str(a) for a in result.get("awards") or []),
                "training": "; ".join(str(t) for t in result.get("training") or []),
            }
        )
    return rows


def _finish(session: Session, job: Job) -> None:
    """Pack the chunks into the job's one file; the chunk rows are emptied."""
    chunks = list(
        session.scalars(select(JobChunk).where(JobChunk.job_id == job.id).order_by(JobChunk.seq))
    )
    if report_format(job) == "xlsx":
        rows = [row for chunk in chunks for row in (chunk.result or {}).get("rows") or []]
        job.file_data = _results_workbook(session, job, rows)
        code = job.params.get("code", job.params["unit_id"])
        job.file_name = f"hasil-{code}-{job.period_id}.xlsx"
        job.result = {"employees": len(rows), "unit": job.params.get("unit")}
        for chunk in chunks:
            chunk.result = {"rows": len((chunk.result or {}).get("rows") or [])}
        return
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for chunk in chunks:
            for name, data in ((chunk.result or {}).get("files") or {}).items():
                archive.writestr(name, base64.b64decode(data))
                count += 1
            chunk.result = {"files": len((chunk.result or {}).get("files") or {})}
    job.file_name = f"evaluasi-kinerja-unit-{job.params['unit_id']}-periode-{job.period_id}.zip"
    job.file_data = buffer.getvalue()
    job.result = {"documents": count, "unit": job.params.get("unit")}


def _results_workbook(session: Session, job: Job, rows: list[dict]) -> bytes:
    """The results sheet, streamed (write-only: memory stays flat for a unit of thousands)."""
    period = get_period(session, job.period_id or 0)
    aspects: list[str] = []
    for row in rows:
        aspects.extend(a for a in row["levels"] if a not in aspects)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Hasil")
    for column, width in zip("ABCDEFGH", (22, 28, 30, 40, 10, 16, 20, 20), strict=True):
        sheet.column_dimensions[column].width = width
    bold = Font(bold=True)

    def strong(values: list[str]) -> list[WriteOnlyCell]:
        cells = [WriteOnlyCell(sheet, value=value) for value in values]
        for cell in cells:
            cell.font = bold
        return cells

    title = f"Hasil evaluasi kinerja {job.params.get('unit')} — periode {period.name}"
    sheet.append(strong([title]))
    sheet.append(
        strong(
            [
                *RESULT_HEADER,
                *(f"Tingkat {label(a)}" for a in aspects),
                "Penghargaan",
                "Rekomendasi pelatihan",
            ]
        )
    )
    for row in rows:
        sheet.append(
            [
                *row["cells"],
                *(row["levels"].get(a, "") for a in aspects),
                row["awards"],
                row["training"],
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


jobs.register(jobs.Kind(KIND, _plan, _run_chunk, _finish))
