"""Panel pages for units, positions and employees."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _
from wtforms import BooleanField, Form, SelectField, StringField
from wtforms.validators import Optional

from app.domain.enums import EMPLOYEE_STATUSES, JABATAN_KINDS, JENJANG, choices, label
from app.domain.golongan import ALL_GOLONGAN
from app.extensions import db
from app.models import Employee, Position, Unit
from app.services.people import lookup, organisation
from app.web.filters import WithoutAccount, WithoutSupervisor, employee_scope, only_filters
from app.web.validators import (
    valid_golongan,
    valid_jenjang,
    valid_nip,
    valid_supervisor_nip,
    valid_unit_parent,
)
from app.web.views.base import KinerjaModelView
from app.web.widgets import TypeaheadWidget


def _or_dash(value: object) -> object:
    """An empty relation shown as a dash (FAB would print Python's "None")."""
    return value if value is not None else "—"


def _label_or_dash(value: str | None) -> str:
    """A vocabulary value as its Indonesian label; none as a dash."""
    return label(value) if value else "—"


EMPLOYEE_LABELS = {
    "nip": _("NIP"),
    "name": _("Nama"),
    "status": _("Status kepegawaian"),
    "golongan": _("Golongan"),
    "jenjang": _("Jenjang jabatan fungsional"),
    "position": _("Jabatan"),
    "unit": _("Unit kerja"),
    "supervisor": _("Atasan langsung (pejabat penilai)"),
    "user": _("Akun pengguna"),
    "is_unit_head": _("Kepala unit"),
    "is_active": _("Aktif"),
}


class UnitModelView(KinerjaModelView):
    datamodel = SQLAInterface(Unit)
    class_permission_name = "Unit"
    list_title = _("Daftar Unit Kerja (SKPA)")
    show_title = _("Detail Unit Kerja")
    add_title = _("Tambah Unit Kerja")
    edit_title = _("Ubah Unit Kerja")
    list_columns = ["code", "name", "parent", "is_active"]
    search_columns = ["code", "name", "parent", "is_active"]
    add_columns = edit_columns = ["code", "name", "parent", "is_active"]
    order_columns = ["code", "name"]
    label_columns = {
        "code": _("Kode"),
        "name": _("Nama unit"),
        "parent": _("Unit induk"),
        "is_active": _("Aktif"),
    }
    validators_columns = {"parent": [valid_unit_parent]}
    formatters_columns = {"parent": _or_dash}
    add_form_extra_fields = edit_form_extra_fields = {
        "is_active": BooleanField(_("Aktif"), default=True),
    }


class PositionModelView(KinerjaModelView):
    datamodel = SQLAInterface(Position)
    class_permission_name = "Position"
    list_title = _("Daftar Jabatan")
    show_title = _("Detail Jabatan")
    add_title = _("Tambah Jabatan")
    edit_title = _("Ubah Jabatan")
    list_columns = ["name", "kind"]
    search_columns = ["name", "kind"]
    add_columns = edit_columns = ["name", "kind"]
    label_columns = {"name": _("Nama jabatan"), "kind": _("Jenis jabatan")}
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_("Jenis jabatan"), choices=choices(JABATAN_KINDS)),
    }


class EmployeeModelView(KinerjaModelView):
    datamodel = SQLAInterface(Employee)
    class_permission_name = "Employee"
    base_filters = employee_scope()
    list_title = _("Daftar Pegawai")
    show_title = _("Detail Pegawai")
    add_title = _("Tambah Pegawai")
    edit_title = _("Ubah Pegawai")
    list_columns = [
        "nip",
        "name",
        "status",
        "golongan",
        "jenjang",
        "position",
        "unit",
        "supervisor",
    ]
    # The supervisor and the account are searched for only by their absence (the Kepegawaian
    # to-do items link here): a select of every employee as the value would weigh 40,000 rows.
    search_columns = [
        "nip",
        "name",
        "status",
        "golongan",
        "jenjang",
        "position",
        "unit",
        "supervisor",
        "user",
    ]
    MISSING_FILTERS = {"supervisor": [WithoutSupervisor], "user": [WithoutAccount]}
    show_columns = list_columns + ["user", "is_unit_head", "is_active"]
    add_columns = edit_columns = [
        "nip",
        "name",
        "status",
        "golongan",
        "position",
        "jenjang",
        "unit",
        "supervisor_nip",
        "user",
        "is_unit_head",
        "is_active",
    ]
    order_columns = ["nip", "name", "golongan"]
    label_columns = EMPLOYEE_LABELS
    formatters_columns = {"supervisor": _or_dash, "user": _or_dash, "jenjang": _label_or_dash}
    description_columns = {
        "nip": _("18 angka: tanggal lahir, TMT CPNS, jenis kelamin, nomor urut."),
        "supervisor_nip": _(
            "NIP pejabat penilai kinerja (atasan langsung); kosongkan bila tidak ada."
        ),
        "jenjang": _("Hanya untuk jabatan fungsional; menentukan koefisien angka kredit."),
    }
    add_form_extra_fields = edit_form_extra_fields = {
        "status": SelectField(_("Status kepegawaian"), choices=choices(EMPLOYEE_STATUSES)),
        "golongan": SelectField(
            _("Golongan"), choices=[(g, g) for g in ALL_GOLONGAN], validators=[valid_golongan]
        ),
        "jenjang": SelectField(
            _("Jenjang jabatan fungsional"),
            choices=[("", "—"), *choices(JENJANG)],
            # A form without the field means "none"; valid_jenjang refuses unknown values.
            validate_choice=False,
            validators=[valid_jenjang],
        ),
        # FAB marks a non-nullable boolean as required, i.e. the box must be ticked; it must not.
        "is_unit_head": BooleanField(_("Kepala unit")),
        "is_active": BooleanField(_("Aktif"), default=True),
        # A NIP box rather than a select of every employee: a province has tens of thousands.
        "supervisor_nip": StringField(
            _("NIP atasan langsung"), validators=[Optional(), valid_supervisor_nip]
        ),
    }
    validators_columns = {"nip": [valid_nip]}
    # Units and jabatan are searched on the server as the user types: a select of every unit
    # (and its HTML) on every page view cost more than the list itself.
    search_form_extra_fields = {
        "unit": StringField(
            EMPLOYEE_LABELS["unit"],
            widget=TypeaheadWidget(
                "LookupView.units", lambda ids: lookup.named_choices(db.session, Unit, ids)
            ),
        ),
        "position": StringField(
            EMPLOYEE_LABELS["position"],
            widget=TypeaheadWidget(
                "LookupView.positions",
                lambda ids: lookup.named_choices(db.session, Position, ids),
            ),
        ),
        "status": SelectField(
            EMPLOYEE_LABELS["status"], choices=[("", "")] + choices(EMPLOYEE_STATUSES)
        ),
        "supervisor": SelectField(EMPLOYEE_LABELS["supervisor"], choices=[("ya", "Ya")]),
        "user": SelectField(EMPLOYEE_LABELS["user"], choices=[("ya", "Ya")]),
    }

    def _init_properties(self) -> None:
        super()._init_properties()
        only_filters(self, self.MISSING_FILTERS)

    def prefill_form(self, form: Form, pk: int) -> None:
        employee = db.session.get(Employee, pk)
        form.supervisor_nip.data = employee.supervisor.nip if employee.supervisor else ""

    def _link_supervisor(self, item: Employee) -> None:
        nip = (getattr(item, "supervisor_nip", None) or "").strip()
        item.supervisor = organisation.employee_by_nip(db.session, nip) if nip else None

    def pre_add(self, item: Employee) -> None:
        self._link_supervisor(item)
        item.jenjang = item.jenjang or None  # the empty choice means "none"

    def pre_update(self, item: Employee) -> None:
        self._link_supervisor(item)
        item.jenjang = item.jenjang or None
