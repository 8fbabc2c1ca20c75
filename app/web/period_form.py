"""The form that defines a period: dates typed and shown as dd/mm/yyyy.

The form only reads what was typed; whether a definition is acceptable is decided by
`periods.period_problems` (the same rules the API and CLI use), and its messages are shown
beside the fields they concern.
"""

from __future__ import annotations

from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _
from wtforms import SelectField, StringField

from app.domain.dates import parse_dmy
from app.domain.enums import PERIOD_KINDS, choices
from app.domain.wording import short_date
from app.models import Period
from app.services.appraisal.periods import PeriodDraft

DATE_ATTRIBUTES = {
    "class": "form-control kinerja-tanggal",
    "placeholder": "dd/mm/yyyy",
    "autocomplete": "off",
    "inputmode": "numeric",
}


class PeriodForm(DynamicForm):
    name = StringField(_("Nama periode"), description=_("Misalnya: Triwulan I 2027."))
    kind = SelectField(
        _("Jenis periode"),
        choices=choices(PERIOD_KINDS),
        description=_(
            "Bulanan 1 bulan, triwulanan 3 bulan, semesteran 6 bulan, "
            "tahunan 12 bulan; dimulai pada tanggal 1."
        ),
    )
    start_date = StringField(
        _("Tanggal mulai"),
        render_kw=DATE_ATTRIBUTES,
        description=_("Format dd/mm/yyyy, misalnya 01/01/2027."),
    )
    end_date = StringField(
        _("Tanggal selesai"),
        render_kw=DATE_ATTRIBUTES,
        description=_("Format dd/mm/yyyy, misalnya 31/03/2027."),
    )

    def draft(self) -> PeriodDraft:
        return PeriodDraft(
            name=self.name.data or "",
            kind=self.kind.data or "",
            start_date=parse_dmy(self.start_date.data),
            end_date=parse_dmy(self.end_date.data),
        )

    def fill(self, period: Period) -> None:
        self.name.data, self.kind.data = period.name, period.kind
        self.start_date.data = short_date(period.start_date)
        self.end_date.data = short_date(period.end_date)

    def show_problems(self, problems: dict[str, str]) -> None:
        """Put each message of the service beside its field."""
        for name, message in problems.items():
            target = getattr(self, name, None) or self.name
            target.errors = [*list(target.errors), message]
