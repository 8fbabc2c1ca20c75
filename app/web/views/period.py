"""The "Periode" area: the list, defining a period, its page with the status changes, the
progress and readiness of an open period, the confirmation before moving on, and the summary
after closing. Every rule is a service's; each handler calls one and shows its refusal."""

from __future__ import annotations

from flask import current_app, flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import lazy_gettext as _
from werkzeug.wrappers import Response

from app.domain.enums import LABELS, ORGANISATION_PREDICATES, PREDICATES, JobState, PeriodState
from app.extensions import db
from app.jobs.tasks import submit
from app.models import Period
from app.services import jobs
from app.services.appraisal import close, distribution, periods
from app.services.errors import ServiceError
from app.services.public.confidentiality import MIN_GROUP
from app.services.reports import progress, summary
from app.web.actor import current_actor
from app.web.charts import distribution_svg
from app.web.period_form import PeriodForm
from app.web.permissions import METHOD_PERMISSIONS, READ, WRITE
from app.web.public_chart import masked_distribution_svg
from app.web.refusals import refusal_flashed

# What each state can move to from the period page, and the button that starts it.
NEXT_STEPS: dict[str, list[tuple[str, str]]] = {
    PeriodState.DRAFT: [(PeriodState.OPEN, "Buka periode untuk pengisian")],
    PeriodState.OPEN: [(PeriodState.REVIEW, "Pindahkan ke Peninjauan")],
    PeriodState.REVIEW: [
        (PeriodState.OPEN, "Kembalikan ke pengisian"),
        (PeriodState.CLOSED, "Tutup periode"),
    ],
    PeriodState.CLOSED: [(PeriodState.REVIEW, "Buka kembali untuk peninjauan")],
}


def xlsx_download(content: bytes, filename: str) -> Response:
    """An Excel file as an attachment that no cache keeps."""
    response = Response(
        content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


# A refusal that means the page cannot be shown goes to the error page with the service's words;
# others become a message on the page.
PAGE_REFUSALS = (403, 404)


class PeriodLifecycleView(BaseView):
    """Pages under /periode/."""

    route_base = "/periode"
    class_permission_name = "Period"
    method_permission_name = {
        **METHOD_PERMISSIONS,
        "progress": READ,
        "unit_predicate": READ,  # Kepegawaian or the unit's leader: the service decides
        "transition": WRITE,
        "close": WRITE,
        "add": WRITE,
        "edit": WRITE,
        "delete": WRITE,
        "confirm": WRITE,
        "readiness": READ,
        "behind": READ,
        "progress_xlsx": READ,
        "summary": READ,
    }
    default_view = "index"

    @expose("/")
    @has_access
    def index(self) -> str:
        rows = db.session.query(Period).order_by(Period.start_date.desc(), Period.id.desc())
        return self.render_template(
            "kinerja/periods.html", periods=list(rows), can_manage=current_actor().is_hr
        )

    @expose("/tambah", methods=["GET", "POST"])
    @has_access
    def add(self) -> str | Response | tuple[str, int]:
        form = PeriodForm()
        if request.method == "POST" and form.validate_on_submit():
            try:
                period = periods.create_period(db.session, current_actor(), form.draft())
            except periods.InvalidPeriod as exc:
                form.show_problems(exc.problems)
            except ServiceError as exc:
                if exc.status in PAGE_REFUSALS:
                    raise
                flash(exc.message, "danger")
            else:
                flash(_("Periode ditambahkan sebagai Draf."), "success")
                return redirect(url_for(".show", period_id=period.id))
        status = 400 if request.method == "POST" else 200
        return self.render_template(
            "kinerja/period_form.html", form=form, period=None, title=_("Tambah periode")
        ), status

    @expose("/<int:period_id>/ubah", methods=["GET", "POST"])
    @has_access
    def edit(self, period_id: int) -> str | Response | tuple[str, int]:
        period = self._period(period_id)
        form = PeriodForm()
        if request.method == "GET":
            form.fill(period)
        elif form.validate_on_submit():
            try:
                periods.update_period(
                    db.session,
                    current_actor(),
                    period_id,
                    form.draft(),
                    _int(request.form.get("lock_version")),
                )
            except periods.InvalidPeriod as exc:
                form.show_problems(exc.problems)
            except ServiceError as exc:
                if exc.status in PAGE_REFUSALS:
                    raise
                flash(exc.message, "danger")
            else:
                flash(_("Periode diubah."), "success")
                return redirect(url_for(".show", period_id=period_id))
        status = 400 if request.method == "POST" else 200
        return self.render_template(
            "kinerja/period_form.html", form=form, period=period, title=_("Ubah periode")
        ), status

    @expose("/<int:period_id>/hapus", methods=["POST"])
    @has_access
    def delete(self, period_id: int) -> Response:
        with refusal_flashed(passes=PAGE_REFUSALS) as outcome:
            periods.delete_period(db.session, current_actor(), period_id)
            flash(_("Periode dihapus."), "success")
        if outcome.refusal:
            return redirect(url_for(".show", period_id=period_id))
        return redirect(url_for(".index"))

    def _period(self, period_id: int) -> Period:
        return periods.get_period(db.session, period_id)  # NotFound: the error page says so

    @expose("/<int:period_id>")
    @has_access
    def show(self, period_id: int) -> str:
        period = self._period(period_id)
        actor = current_actor()
        findings = distribution.shown_findings(
            actor, distribution.period_findings(db.session, period)
        )
        charts = {
            f.unit_id: masked_distribution_svg(f.counts, PREDICATES, LABELS, MIN_GROUP)
            if f.masked
            else distribution_svg(f.unmasked_counts, PREDICATES, LABELS)
            for f in findings
        }
        job = close.job_status(db.session, period.id)
        return self.render_template(
            "kinerja/period.html",
            period=period,
            findings=findings,
            charts=charts,
            units=distribution.led_units(db.session, actor),
            org_predicates=ORGANISATION_PREDICATES,
            job=job,
            job_url=url_for(".progress", period_id=period.id),
            can_manage=actor.is_hr,
            steps=self._steps(period, job) if actor.is_hr else [],
            sees_progress=progress.may_see(db.session, actor),
        )

    @staticmethod
    def _steps(period: Period, job: dict[str, object]) -> list[tuple[str, str]]:
        """The period's next steps; none while its close or re-pin is queued or running."""
        if job["state"] in (JobState.QUEUED, JobState.RUNNING):
            return []
        return NEXT_STEPS[period.state]

    @expose("/<int:period_id>/konfirmasi/<target>")
    @has_access
    def confirm(self, period_id: int, target: str) -> str | Response:
        """Before moving to review or closing: the readiness figures, and a reason when not
        everyone is complete."""
        period = self._period(period_id)
        if target not in {t for t, _ in NEXT_STEPS[period.state]}:
            flash(_("Langkah itu tidak tersedia untuk status periode ini."), "warning")
            return redirect(url_for(".show", period_id=period_id))
        ready = progress.readiness(db.session, period_id)
        findings = (
            distribution.period_findings(db.session, period) if target == PeriodState.CLOSED else []
        )
        button = dict(NEXT_STEPS[period.state])[target]
        return self.render_template(
            "kinerja/period_confirm.html",
            period=period,
            target=target,
            ready=ready,
            findings=[f for f in findings if f.findings],
            button=button,
            needs_reason=(
                target in (PeriodState.REVIEW, PeriodState.CLOSED) and not ready.is_complete
            )
            or period.state == PeriodState.CLOSED
            or any(f.findings for f in findings),
        )

    @expose("/<int:period_id>/status", methods=["POST"])
    @has_access
    def transition(self, period_id: int) -> Response:
        target, reason = request.form.get("target", ""), request.form.get("reason")
        with refusal_flashed(passes=()) as outcome:
            periods.transition(db.session, current_actor(), period_id, target, reason)
            flash(_("Status periode diubah."), "success")
        if outcome.refusal and outcome.refusal.field == "reason":
            return redirect(url_for(".confirm", period_id=period_id, target=target))
        return redirect(url_for(".show", period_id=period_id))

    @expose("/<int:period_id>/predikat-unit", methods=["POST"])
    @has_access
    def unit_predicate(self, period_id: int) -> Response:
        unit_id = request.form.get("unit_id", type=int)
        if unit_id is None:
            flash(_("Pilih unit dan predikat organisasi."), "danger")
            return redirect(url_for(".show", period_id=period_id))
        with refusal_flashed(passes=()):
            distribution.set_unit_result(
                db.session,
                current_actor(),
                period_id,
                unit_id,
                request.form.get("predicate", ""),
                request.form.get("note"),
            )
            flash(_("Predikat organisasi disimpan."), "success")
        return redirect(url_for(".show", period_id=period_id))

    @expose("/<int:period_id>/tutup", methods=["POST"])
    @has_access
    def close(self, period_id: int) -> Response:
        """Queue the close (one per period, claimed in the database) and show its progress."""
        try:
            job = close.request_close(
                db.session, current_actor(), period_id, request.form.get("reason")
            )
        except jobs.JobRunning as exc:
            flash(exc.message, "warning")
            return redirect(url_for(".show", period_id=period_id))
        except ServiceError as exc:
            flash(exc.message, "danger")
            if exc.field == "reason":
                return redirect(url_for(".confirm", period_id=period_id, target=PeriodState.CLOSED))
            return redirect(url_for(".show", period_id=period_id))
        if submit(current_app.extensions["celery"], job.id):
            flash(_("Penutupan periode dimulai; kemajuan ditampilkan di bawah."), "info")
        else:
            flash(
                _(
                    "Penutupan periode dicatat, tetapi antrean pekerjaan sedang tidak dapat "
                    "dihubungi; penutupan berjalan begitu pekerja latar aktif kembali."
                ),
                "warning",
            )
        return redirect(url_for(".show", period_id=period_id))

    @expose("/<int:period_id>/kemajuan")
    @has_access
    def progress(self, period_id: int) -> Response:
        """The close job's progress, for the progress bar."""
        return jsonify(close.job_status(db.session, period_id))

    @expose("/<int:period_id>/progres")
    @has_access
    def readiness(self, period_id: int) -> str:
        report = progress.period_progress(
            db.session, current_actor(), period_id, current_app.config["KINERJA_PROGRESS_MAX_AGE"]
        )
        return self.render_template(
            "kinerja/period_progress.html",
            report=report,
            kinds=progress.BEHIND_KINDS,
            number=progress.number,
        )

    @expose("/<int:period_id>/progres/daftar")
    @has_access
    def behind(self, period_id: int) -> str:
        listing = progress.behind(
            db.session,
            current_actor(),
            period_id,
            request.args.get("jenis", "belum_lengkap"),
            _int(request.args.get("skpa")),
            _int(request.args.get("halaman")) or 1,
        )
        return self.render_template(
            "kinerja/period_behind.html",
            listing=listing,
            period=self._period(period_id),
            kinds=progress.BEHIND_KINDS,
            skpa=request.args.get("skpa", ""),
        )

    @expose("/<int:period_id>/progres.xlsx")
    @has_access
    def progress_xlsx(self, period_id: int) -> Response:
        content = progress.progress_xlsx(db.session, current_actor(), period_id)
        return xlsx_download(content, f"kemajuan-periode-{period_id}.xlsx")

    @expose("/<int:period_id>/ringkasan")
    @has_access
    def summary(self, period_id: int) -> str | Response:
        with refusal_flashed("info", passes=PAGE_REFUSALS) as outcome:
            report = summary.period_summary(db.session, current_actor(), period_id)
        if outcome.refusal:
            return redirect(url_for(".show", period_id=period_id))
        charts = {
            f.unit_id: distribution_svg(f.unmasked_counts, PREDICATES, LABELS) for f in report.units
        }
        return self.render_template(
            "kinerja/period_summary.html",
            report=report,
            predicates=PREDICATES,
            chart=distribution_svg(report.counts, PREDICATES, LABELS, width=520),
            charts=charts,
            number=progress.number,
        )
