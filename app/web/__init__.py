"""The panel and the REST API: registered on an AppBuilder by the app factory."""

from __future__ import annotations

from flask import Flask
from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _

from app.domain.audit_words import action_words
from app.domain.enums import label
from app.domain.glossary import BY_KEY
from app.domain.wording import display, long_date, moment, number, short_date
from app.web.api.appraisal import EvaluationApi, IndicatorApi, PeriodApi, RatingApi, SkpApi
from app.web.api.organisation import EmployeeApi, UnitApi
from app.web.api.peers import PeerAssignmentApi
from app.web.api.progress import ProgressApi
from app.web.employees_and_public import register as register_employees_and_public
from app.web.help import current_help, tour_steps
from app.web.links import register_links
from app.web.lookup import LookupView
from app.web.views.appraisal import (
    AuditLogModelView,
    EvaluationModelView,
    IndicatorModelView,
    RatingModelView,
)
from app.web.views.notifications import NotificationView
from app.web.views.organisation import EmployeeModelView, PositionModelView, UnitModelView
from app.web.views.peers import PeerView
from app.web.views.period import PeriodLifecycleView
from app.web.views.rating import RatingFormView
from app.web.views.rules_doc import RulesDocView
from app.web.views.rulesets import register as register_rulesets
from app.web.views.skp import SkpView


def register_web(appbuilder: AppBuilder) -> None:
    """Add every page to the menu. Menu `name`s are the keys config/roles.py grants."""
    org = {"category": "Organisasi", "category_label": _("Organisasi")}
    appraisal = {"category": "Penilaian", "category_label": _("Penilaian")}
    policy = {"category": "Kebijakan", "category_label": _("Kebijakan")}

    appbuilder.add_view(
        UnitModelView, "Units", label=_("Unit Kerja (SKPA)"), icon="fa-sitemap", **org
    )
    appbuilder.add_view(
        PositionModelView, "Positions", label=_("Jabatan"), icon="fa-id-badge", **org
    )
    appbuilder.add_view(EmployeeModelView, "Employees", label=_("Pegawai"), icon="fa-users", **org)
    appbuilder.add_view(
        PeriodLifecycleView, "Periods", label=_("Periode"), icon="fa-calendar", **appraisal
    )
    appbuilder.add_view(
        RatingFormView,
        "TeamRatings",
        label=_("Tim Saya"),
        icon="fa-pencil-square-o",
        **appraisal,
    )
    appbuilder.add_view(PeerView, "Peers", label=_("Rekan Penilai"), icon="fa-users", **appraisal)
    appbuilder.add_view(SkpView, "MySkp", label=_("SKP Saya"), icon="fa-file-text-o", **appraisal)
    appbuilder.add_view(
        RatingModelView, "Ratings", label=_("Daftar Penilaian"), icon="fa-star", **appraisal
    )
    appbuilder.add_view(
        EvaluationModelView,
        "Evaluations",
        label=_("Hasil Evaluasi"),
        icon="fa-bar-chart",
        **appraisal,
    )
    appbuilder.add_view(
        IndicatorModelView, "Indicators", label=_("Indikator"), icon="fa-list", **policy
    )
    register_rulesets(appbuilder)  # "RuleSets" menu, re-pin page, `ruleset` API
    appbuilder.add_view(
        RulesDocView, "RulesGuide", label=_("Panduan Bahasa Aturan"), icon="fa-book", **policy
    )
    appbuilder.add_view(
        AuditLogModelView,
        "AuditLog",
        label=_("Log Audit"),
        icon="fa-history",
        category="Security",
    )
    register_employees_and_public(appbuilder)
    appbuilder.add_view_no_menu(LookupView)
    for api in (
        UnitApi,
        EmployeeApi,
        PeriodApi,
        IndicatorApi,
        SkpApi,
        RatingApi,
        EvaluationApi,
        ProgressApi,
    ):
        appbuilder.add_api(api)
    appbuilder.add_api(PeerAssignmentApi)
    appbuilder.add_view_no_menu(NotificationView)


def register_filters(app: Flask) -> None:
    """Template helpers: `label_id` turns a vocabulary value into its Indonesian label,
    `tanggal` a date into `14 Desember 2026`, `tanggal_dmy` into `14/12/2026` (as forms take
    it), `waktu` a stored time into `01/10/2026 14:05 WIB`, `angka` a number into `1.234,5`,
    `tampil` any value as `display` writes it, `tindakan` an audit action in words,
    `public_url_for` builds an address from KINERJA_PUBLIC_URL; `help_panel()` gives the page's
    "Bantuan" panel (`app.web.help`), `glossary_term(key)` a glossary term's name,
    `tour_steps(roles)` the landing page's first-login tour."""
    app.jinja_env.filters["label_id"] = label
    app.jinja_env.filters["tanggal"] = long_date
    app.jinja_env.filters["tanggal_dmy"] = short_date
    app.jinja_env.filters["waktu"] = moment
    app.jinja_env.filters["angka"] = number
    app.jinja_env.filters["tampil"] = display
    app.jinja_env.filters["tindakan"] = action_words
    register_links(app)
    app.jinja_env.globals["help_panel"] = current_help
    app.jinja_env.globals["glossary_term"] = lambda key: BY_KEY[key].term
    app.jinja_env.globals["tour_steps"] = tour_steps
