"""Reports: the evaluation PDF, a unit's results in Excel, and the employee import."""

from __future__ import annotations

from flask import Response, current_app, flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from app.domain.enums import JobState, PeriodState
from app.extensions import db
from app.jobs.tasks import submit
from app.models import Employee, Job, Period
from app.services import jobs
from app.services.errors import InvalidInput, NotFound, ServiceError
from app.services.people import imports
from app.services.reports import reports
from app.web.actor import current_actor
from app.web.permissions import METHOD_PERMISSIONS, READ, WRITE


def _download(content: bytes, mimetype: str, filename: str) -> Response:
    response = Response(content, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


class ReportView(BaseView):
    """Pages under /laporan/."""

    route_base = "/laporan"
    class_permission_name = "Report"
    method_permission_name = {
        **METHOD_PERMISSIONS,
        "pdf": READ,
        "unit_xlsx": READ,
        "unit_pdfs": READ,
        "report_job": READ,
        "report_progress": READ,
        "report_file": READ,
    }
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        actor = current_actor()
        periods = list(
            db.session.scalars(
                select(Period)
                .where(Period.state != PeriodState.DRAFT)
                .order_by(Period.start_date.desc())
            )
        )
        return self.render_template(
            "kinerja/reports.html",
            periods=periods,
            hr=actor.is_hr,
            employee_id=actor.employee_id,
        )

    @expose("/evaluasi/<int:employee_id>/<int:period_id>.pdf")
    @has_access
    def pdf(self, employee_id: int, period_id: int) -> Response:
        content = reports.evaluation_pdf(
            db.session,
            current_actor(),
            employee_id,
            period_id,
            place=current_app.config["KINERJA_DOCUMENT_PLACE"],
        )
        nip = db.session.scalar(select(Employee.nip).where(Employee.id == employee_id))
        return _download(content, "application/pdf", f"evaluasi-kinerja-{nip}-{period_id}.pdf")

    @expose("/unit-pdf", methods=["POST"])
    @has_access
    def unit_pdfs(self) -> BaseResponse:
        """Queue every evaluation document of a unit in a period as one ZIP file."""
        return self._queue("pdf")

    @expose("/unit-excel", methods=["POST"])
    @has_access
    def unit_xlsx(self) -> BaseResponse:
        """Queue a unit's results of a period as one Excel workbook."""
        return self._queue("xlsx")

    def _queue(self, fmt: str) -> BaseResponse:
        try:
            job = reports.request_unit_report(
                db.session,
                current_actor(),
                request.form.get("unit_id", type=int) or 0,
                request.form.get("period_id", type=int) or 0,
                fmt,
            )
        except ServiceError as exc:
            flash(exc.message, "danger")
            return redirect(url_for(".index"))
        if job.state == JobState.QUEUED:
            submit(current_app.extensions["celery"], job.id)
        return redirect(url_for(".report_job", job_id=job.id))

    def _report(self, job_id: int) -> Job:
        job = db.session.get(Job, job_id)
        if job is None or job.kind != reports.KIND or not current_actor().is_hr:
            raise NotFound("Laporan tidak ditemukan.")
        return job

    @expose("/pekerjaan/<int:job_id>")
    @has_access
    def report_job(self, job_id: int) -> str:
        """The bulk report's progress, then its download link."""
        job = self._report(job_id)
        return self.render_template(
            "kinerja/report_job.html",
            report=job,
            job=jobs.status(db.session, job),
            fmt=reports.report_format(job),
            title=reports.FORMATS[reports.report_format(job)],
            job_url=url_for(".report_progress", job_id=job.id),
        )

    @expose("/pekerjaan/<int:job_id>/kemajuan")
    @has_access
    def report_progress(self, job_id: int) -> Response:
        return jsonify(jobs.status(db.session, self._report(job_id)))

    @expose("/pekerjaan/<int:job_id>/berkas")
    @has_access
    def report_file(self, job_id: int) -> Response:
        """The stored file (never made again here)."""
        job = self._report(job_id)
        if job.state != JobState.DONE or job.file_data is None:
            raise InvalidInput("Laporan belum selesai dibuat.")
        fmt = reports.report_format(job)
        return _download(job.file_data, reports.MIMETYPES[fmt], job.file_name or f"laporan.{fmt}")


class EmployeeImportView(BaseView):
    """/impor-pegawai/: upload an XLSX or CSV; a worker checks it and stores all rows or none."""

    route_base = "/impor-pegawai"
    class_permission_name = "EmployeeImport"
    method_permission_name = {**METHOD_PERMISSIONS, "form": WRITE, "progress": WRITE}
    default_view = "form"

    @expose("/", methods=["GET", "POST"])
    @has_access
    def form(self) -> str | tuple[str, int]:
        """The upload form; after an upload, the import's progress and then its outcome
        (`?pekerjaan=<id>` shows a given import again)."""
        job = None
        if request.method == "POST":
            file = request.files.get("file")
            try:
                job = imports.request_import(
                    db.session,
                    current_actor(),
                    (file.filename or "") if file else "",
                    file.read() if file else b"",
                )
            except jobs.JobRunning as exc:
                flash(exc.message, "warning")
                return self._page(exc.job, 409)
            except ServiceError as exc:
                flash(exc.message, "danger")
                return self._page(None, exc.status)
            submit(current_app.extensions["celery"], job.id)
        elif request.args.get("pekerjaan", type=int):
            job = db.session.get(Job, request.args.get("pekerjaan", type=int))
            if job is None or job.kind != imports.KIND:
                job = None
        return self._page(job, 200)

    def _page(self, job: Job | None, status: int) -> tuple[str, int]:
        result = None
        if job is not None:
            db.session.expire_all()
            job = jobs.existing(db.session, job.id)
            if job.state == JobState.DONE:
                result = imports.stored_result(job)
                if result.ok:
                    flash(_("%(n)s pegawai diimpor.", n=result.created), "success")
                else:
                    flash(_("Tidak ada yang disimpan: perbaiki baris yang bermasalah."), "danger")
                    status = 400
            elif job.state == JobState.FAILED:
                flash(job.error or _("Impor gagal."), "danger")
                status = 400
        running = (
            job if job is not None and job.state in (JobState.QUEUED, JobState.RUNNING) else None
        )
        return self.render_template(
            "kinerja/import_employees.html",
            result=result,
            columns=imports.COLUMNS,
            job=jobs.status(db.session, running) if running else None,
            job_url=url_for(".progress", job_id=running.id) if running else "",
            job_done_url=url_for(".form", pekerjaan=running.id) if running else "",
        ), status

    @expose("/kemajuan/<int:job_id>")
    @has_access
    def progress(self, job_id: int) -> Response:
        job = db.session.get(Job, job_id)
        return jsonify(jobs.status(db.session, job if job and job.kind == imports.KIND else None))
