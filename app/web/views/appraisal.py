"""Panel pages for periods, indicators, rulesets, ratings, evaluations and the audit log."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _
from wtforms import BooleanField, SelectField

from app.domain.enums import PERIOD_KINDS, RATER_KINDS, SCALES, choices
from app.models import AuditLog, Indicator, Period, Rating
from app.services import periods
from app.web.confidential import ConfidentialEvaluations
from app.web.filters import owner_scope, rating_scope
from app.web.views.base import KinerjaModelView, ReadOnlyModelView


class PeriodModelView(KinerjaModelView):
    datamodel = SQLAInterface(Period)
    class_permission_name = "Period"
    list_title = _("Daftar Periode Penilaian")
    show_title = _("Detail Periode")
    add_title = _("Tambah Periode")
    edit_title = _("Ubah Periode")
    list_columns = ["name", "kind", "start_date", "end_date", "state", "ruleset_version"]
    search_columns = ["name", "kind", "state"]
    add_columns = edit_columns = ["name", "kind", "start_date", "end_date"]
    order_columns = ["name", "start_date"]
    base_order = ("start_date", "desc")
    label_columns = {
        "name": _("Nama periode"),
        "kind": _("Jenis periode"),
        "start_date": _("Tanggal mulai"),
        "end_date": _("Tanggal selesai"),
        "state": _("Status"),
        "ruleset_version": _("Versi aturan"),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_("Jenis periode"), choices=choices(PERIOD_KINDS)),
    }

    def pre_update(self, item: Period) -> None:
        periods.ensure_writable(item)

    def pre_delete(self, item: Period) -> None:
        periods.ensure_writable(item)


class IndicatorModelView(KinerjaModelView):
    datamodel = SQLAInterface(Indicator)
    class_permission_name = "Indicator"
    list_title = _("Daftar Indikator")
    show_title = _("Detail Indikator")
    add_title = _("Tambah Indikator")
    edit_title = _("Ubah Indikator")
    list_columns = ["code", "label", "aspect", "scale", "rater_kinds", "is_active"]
    search_columns = ["code", "label", "aspect", "scale"]
    add_columns = edit_columns = [
        "code", "label", "description", "aspect", "scale", "rater_kinds", "jabatan_kinds",
        "is_active",
    ]  # fmt: skip
    label_columns = {
        "code": _("Kode"),
        "label": _("Nama indikator"),
        "description": _("Uraian"),
        "aspect": _("Aspek"),
        "scale": _("Skala"),
        "rater_kinds": _("Penilai"),
        "jabatan_kinds": _("Berlaku untuk jenis jabatan"),
        "is_active": _("Aktif"),
    }
    description_columns = {
        "rater_kinds": _("Dipisah koma: " + ", ".join(RATER_KINDS)),
        "jabatan_kinds": _("Dipisah koma: jpt, administrator, pengawas, fungsional, pelaksana"),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "scale": SelectField(_("Skala"), choices=choices(SCALES)),
        "is_active": BooleanField(_("Aktif"), default=True),
    }


class RatingModelView(ReadOnlyModelView):
    datamodel = SQLAInterface(Rating)
    class_permission_name = "Rating"
    base_filters = rating_scope()
    list_title = _("Daftar Penilaian")
    show_title = _("Detail Penilaian")
    list_columns = ["period", "ratee", "rater", "rater_kind", "indicator", "rhk", "value", "state"]
    search_columns = ["period", "ratee", "rater", "rater_kind", "state"]
    label_columns = {
        "period": _("Periode"),
        "ratee": _("Pegawai dinilai"),
        "rater": _("Penilai"),
        "rater_kind": _("Jenis penilai"),
        "indicator": _("Indikator"),
        "rhk": _("RHK"),
        "value": _("Nilai"),
        "comment": _("Umpan balik"),
        "state": _("Status"),
    }


class EvaluationModelView(ReadOnlyModelView):
    datamodel = ConfidentialEvaluations()
    class_permission_name = "Evaluation"
    base_filters = owner_scope("employee_id")
    list_title = _("Hasil Evaluasi Kinerja")
    show_title = _("Detail Hasil Evaluasi")
    list_columns = ["period", "employee", "status", "predicate", "override_predicate"]
    search_columns = ["period", "employee", "status", "predicate"]
    show_columns = list_columns + ["override_reason", "ruleset_version", "computed_at", "result"]
    label_columns = {
        "period": _("Periode"),
        "employee": _("Pegawai"),
        "status": _("Status"),
        "predicate": _("Predikat kinerja"),
        "override_predicate": _("Predikat setelah keberatan"),
        "override_reason": _("Alasan perubahan"),
        "ruleset_version": _("Versi aturan"),
        "computed_at": _("Dihitung pada"),
        "result": _("Rincian"),
    }


class AuditLogModelView(ReadOnlyModelView):
    datamodel = SQLAInterface(AuditLog)
    class_permission_name = "AuditLog"
    list_title = _("Log Audit")
    show_title = _("Detail Log Audit")
    list_columns = ["at", "username", "action", "object_type", "object_id", "reason"]
    show_columns = list_columns + ["before", "after"]
    search_columns = ["username", "action", "object_type"]
    base_order = ("at", "desc")
    label_columns = {
        "at": _("Waktu (UTC)"),
        "username": _("Pengguna"),
        "action": _("Tindakan"),
        "object_type": _("Jenis objek"),
        "object_id": _("ID objek"),
        "before": _("Sebelum"),
        "after": _("Sesudah"),
        "reason": _("Alasan"),
    }
