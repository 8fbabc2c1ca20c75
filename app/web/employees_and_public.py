"""The pages employees and citizens use: registered on an AppBuilder by `register_web`."""

from __future__ import annotations

from flask_appbuilder import AppBuilder
from flask_babel import lazy_gettext as _

from app.web.views import dialog as dialog_views
from app.web.views.appeals import AppealView
from app.web.views.glossary import GlossaryView
from app.web.views.portal import PortalView
from app.web.views.public import PublicView
from app.web.views.reports import EmployeeImportView, ReportView


def register(appbuilder: AppBuilder) -> None:
    """Menus (their `name`s are what config/roles.py grants) and views."""
    mine = {
        "category": "KinerjaSaya",
        "category_label": _("Kinerja Saya"),
        "category_icon": "fa-user",
    }
    reports = {
        "category": "Laporan",
        "category_label": _("Laporan"),
        "category_icon": "fa-file-text",
    }
    appbuilder.add_view(
        PortalView, "MyPerformance", label=_("Dasbor Kinerja"), icon="fa-tachometer", **mine
    )
    appbuilder.add_link(
        "HowAssessed",
        href="/kinerja-saya/cara-penilaian",
        label=_("Cara Penilaian Kinerja"),
        icon="fa-question-circle",
        **mine,
    )
    appbuilder.add_link(
        "Glossary", href="/glosarium/", label=_("Glosarium"), icon="fa-book", **mine
    )
    appbuilder.add_view(AppealView, "Appeals", label=_("Keberatan"), icon="fa-gavel", **mine)
    appbuilder.add_view(
        ReportView, "Reports", label=_("Dokumen dan Ekspor"), icon="fa-file-pdf-o", **reports
    )
    appbuilder.add_view(
        EmployeeImportView, "EmployeeImport", label=_("Impor Pegawai"), icon="fa-upload", **reports
    )
    appbuilder.add_view_no_menu(PublicView)
    appbuilder.add_view_no_menu(GlossaryView)
    dialog_views.register(appbuilder)
    appbuilder.add_link(
        "PublicPage", href="/publik/", label=_("Halaman Publik"), icon="fa-globe", **reports
    )
