"""Panel pages for periods, indicators, rulesets, ratings, evaluations and the audit log."""

from __future__ import annotations

from typing import Any

from flask import Response, g, make_response, request
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields import DateField

from app.domain.audit_words import (
    ACTIONS,
    OBJECTS,
    action_words,
    item_lines,
    object_words,
    value_lines,
)
from app.domain.enums import (
    PREDICATES,
    RATER_KINDS,
    RATING_STATES,
    SCALES,
    EvaluationStatus,
    choices,
)
from app.domain.wording import EMPTY, display
from app.extensions import db
from app.models import AuditLog, Indicator, Rating
from app.services.appraisal import periods
from app.services.reports import audit_log
from app.services.reports.explain import explain
from app.web.actor import current_actor
from app.web.confidential import ConfidentialEvaluations
from app.web.eager import EagerInterface
from app.web.filters import owner_scope, rating_scope
from app.web.lookup import employee_picker
from app.web.permissions import METHOD_PERMISSIONS, READ
from app.web.views.base import KinerjaModelView, ReadOnlyModelView
from app.web.widgets import TypeaheadWidget


def _pick(label: Any, values: tuple[str, ...]) -> SelectField:
    """A filter select of a vocabulary, showing labels and sending codes."""
    return SelectField(label, choices=[("", "")] + choices(values))


def _employee_filter(label: Any) -> StringField:
    return StringField(label, widget=TypeaheadWidget("LookupView.employees", employee_picker()))


PERIOD_FILTER = "_flt_0_period"  # FAB's "period equals" filter of a list


def _kinds(text: str | None) -> str:
    """`supervisor, peer` -> `Pejabat penilai, Rekan kerja`."""
    words = [display(part.strip()) for part in (text or "").split(",") if part.strip()]
    return ", ".join(words) or EMPTY


class IndicatorModelView(KinerjaModelView):
    datamodel = SQLAInterface(Indicator)
    class_permission_name = "Indicator"
    list_title = _("Daftar Indikator")
    show_title = _("Detail Indikator")
    add_title = _("Tambah Indikator")
    edit_title = _("Ubah Indikator")
    list_columns = ["code", "label", "aspect", "scale", "rater_kinds", "is_active"]
    show_columns = [
        "code",
        "label",
        "description",
        "aspect",
        "scale",
        "rater_kinds",
        "jabatan_kinds",
        "is_active",
    ]
    search_columns = ["code", "label", "aspect", "scale"]
    add_columns = edit_columns = [
        "code",
        "label",
        "description",
        "aspect",
        "scale",
        "rater_kinds",
        "jabatan_kinds",
        "is_active",
    ]
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
    formatters_columns = {"rater_kinds": _kinds, "jabatan_kinds": _kinds}
    description_columns = {
        "rater_kinds": _("Kode dipisah koma: " + ", ".join(RATER_KINDS)),
        "jabatan_kinds": _(
            "Kode dipisah koma: jpt, administrator, pengawas, fungsional, pelaksana"
        ),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "scale": SelectField(_("Skala"), choices=choices(SCALES)),
        "is_active": BooleanField(_("Aktif"), default=True),
    }
    search_form_extra_fields = {"scale": _pick(_("Skala"), SCALES)}


class RatingModelView(ReadOnlyModelView):
    datamodel = EagerInterface(Rating, eager=("period", "ratee", "rater", "indicator", "rhk"))
    class_permission_name = "Rating"
    base_filters = rating_scope()
    list_template = "kinerja/rating_list.html"
    list_title = _("Daftar Penilaian")
    show_title = _("Detail Penilaian")
    list_columns = ["period", "ratee", "rater", "rater_kind", "item", "value", "state"]
    show_columns = list_columns + ["comment", "updated_at"]
    search_columns = ["period", "ratee", "rater", "rater_kind", "state"]
    label_columns = {
        "period": _("Periode"),
        "ratee": _("Pegawai dinilai"),
        "rater": _("Penilai"),
        "rater_kind": _("Jenis penilai"),
        "item": _("Butir yang dinilai"),
        "value": _("Nilai"),
        "comment": _("Umpan balik"),
        "state": _("Status"),
        "updated_at": _("Terakhir diubah"),
    }
    search_form_extra_fields = {
        "ratee": _employee_filter(_("Pegawai dinilai")),
        "rater": _employee_filter(_("Penilai")),
        "rater_kind": _pick(_("Jenis penilai"), RATER_KINDS),
        "state": _pick(_("Status"), RATING_STATES),
    }

    @expose("/list/")
    @has_access
    def list(self) -> str | Response:
        """The ratings of one period: the one the period selector chose, by default the open
        period the person has work in (FAB's own period filter, so search keeps working)."""
        choice = periods.period_choice(
            db.session, current_actor(), request.args.get(PERIOD_FILTER, type=int)
        )
        g.period_choice = choice
        # Without a period in the address the default period is filtered in this request (a
        # redirect to it cost every visit from the menu a second round trip).
        g.default_period = (
            choice.selected.id
            if choice.selected is not None and PERIOD_FILTER not in request.args
            else None
        )
        return super().list()

    def _get_list_widget(self, filters: Any, *args: Any, **kwargs: Any) -> Any:
        default = g.get("default_period")
        if default is not None:
            filters.add_filter_index("period", 0, default)  # as `_flt_0_period` would
        return super()._get_list_widget(filters, *args, **kwargs)


def explanation_list(result: dict[str, Any] | None) -> Markup:
    """An evaluation's explanation as a list of sentences (the one renderer), after the note
    of what is withheld from this viewer (`confidentiality`), if any."""
    note = (result or {}).get("kerahasiaan")
    withheld = f'<p class="text-muted kerahasiaan">{escape(note)}</p>' if note else ""
    lines = explain(db.session, result)
    if not lines:
        return Markup(withheld or escape(EMPTY))
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return Markup(f'{withheld}<ul class="kinerja-explanation">{items}</ul>')


EVALUATION_STATUSES = tuple(EvaluationStatus)


class EvaluationModelView(ReadOnlyModelView):
    datamodel = ConfidentialEvaluations()  # values as the viewer may read them
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
        "result": _("Penjelasan"),
    }
    formatters_columns = {"result": explanation_list}
    search_form_extra_fields = {
        "employee": _employee_filter(_("Pegawai")),
        "status": _pick(_("Status"), EVALUATION_STATUSES),
        "predicate": _pick(_("Predikat kinerja"), PREDICATES),
    }


class FromDay(BaseFilter):
    """Entries from the start of a WIB day typed as a date."""

    name = _("Sejak tanggal")
    arg_name = "sejak"

    def apply(self, query: Any, value: Any) -> Any:
        if value in (None, ""):
            return query
        start = audit_log.day_start_utc(audit_log.parse_day(str(value)))
        return query.filter(getattr(self.model, self.column_name) >= start)


class UntilDay(BaseFilter):
    """Entries up to the end of a WIB day typed as a date."""

    name = _("Sampai tanggal")
    arg_name = "sampai"

    def apply(self, query: Any, value: Any) -> Any:
        if value in (None, ""):
            return query
        end = audit_log.day_end_utc(audit_log.parse_day(str(value)))
        return query.filter(getattr(self.model, self.column_name) < end)


def _changes(entry_values: dict[str, Any] | None) -> Markup:
    lines = value_lines(entry_values)
    if not lines:
        return Markup(escape(EMPTY))
    rows = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in lines)
    return Markup(f'<dl class="dl-horizontal kinerja-changes">{rows}</dl>')


def _item_list(items: list[dict[str, Any]] | None) -> Markup:
    lines = item_lines(items)
    if not lines:
        return Markup(escape(EMPTY))
    listed = "".join(f"<li>{escape(line)}</li>" for line in lines)
    return Markup(f'<ul class="kinerja-items">{listed}</ul>')


class AuditLogModelView(ReadOnlyModelView):
    datamodel = SQLAInterface(AuditLog)
    class_permission_name = "AuditLog"
    list_title = _("Log Audit")
    show_title = _("Detail Log Audit")
    list_columns = [
        "at",
        "username",
        "action",
        "object_type",
        "object_label",
        "item_count",
        "reason",
    ]
    show_columns = list_columns + ["object_id", "before", "after", "items"]
    search_columns = ["at", "username", "action", "object_type"]
    base_order = ("at", "desc")
    list_template = "kinerja/audit_list.html"
    label_columns = {
        "at": _("Waktu"),
        "username": _("Pengguna"),
        "action": _("Tindakan"),
        "object_type": _("Objek"),
        "object_id": _("Nomor objek"),
        "object_label": _("Nama objek"),
        "item_count": _("Jumlah data lain yang ikut berubah"),
        "before": _("Sebelum"),
        "after": _("Sesudah"),
        "items": _("Data lain yang ikut berubah"),
        "reason": _("Alasan"),
    }
    formatters_columns = {
        "action": action_words,
        "object_type": object_words,
        "item_count": lambda n: display(n or 0),
        "before": _changes,
        "after": _changes,
        "items": _item_list,
        "object_id": lambda v: EMPTY if v is None else str(v),
    }
    search_form_extra_fields = {
        "at": DateField(_("Tanggal"), format="%Y-%m-%d"),
        "action": SelectField(
            _("Tindakan"),
            choices=[("", "")]
            + sorted(
                ((code, words) for code, words in ACTIONS.items() if "." in code),
                key=lambda pair: pair[1],
            ),
        ),
        "object_type": SelectField(
            _("Objek"), choices=[("", "")] + sorted(OBJECTS.items(), key=lambda pair: pair[1])
        ),
    }
    method_permission_name = {**METHOD_PERMISSIONS, "excel": READ}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The log's time is filtered by WIB days, not by UTC moments typed by hand.
        days = [FromDay("at", self.datamodel), UntilDay("at", self.datamodel)]
        self._filters._search_filters["at"] = days  # offered in the filter bar
        self._filters._all_filters["at"] = days  # and applied from the address

    @expose("/excel")
    @has_access
    def excel(self) -> Response:
        """The log as shown (the same filters and order), as an Excel file."""
        get_filter_args(self._filters)
        order_column, order_direction = get_order_args().get(
            self.__class__.__name__, self.base_order
        )
        joined = self._filters.get_joined_filters(self._base_filters)
        _count, rows = self.datamodel.query(
            joined, order_column, order_direction, page=0, page_size=audit_log.EXPORT_LIMIT
        )
        response = make_response(audit_log.workbook(rows))
        response.headers["Content-Type"] = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response.headers["Content-Disposition"] = 'attachment; filename="log-audit.xlsx"'
        return response
