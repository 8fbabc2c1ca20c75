"""FAB's user and role pages, readable: roles as what they allow in words, users' values as
Ya/Tidak, lists and WIB times instead of Python's `True` and `[Admin]`.

Roles are defined in code (config/roles.py), so the role pages only show them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import current_app
from flask_appbuilder.security.views import RoleModelView, UserDBModelView, UserGroupModelView
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape
from wtforms.widgets import Select

from app.domain.wording import EMPTY, display

RESOURCES: dict[str, str] = {
    "Appeal": "Keberatan",
    "AuditLog": "Log audit",
    "Beranda": "Beranda dan pencarian",
    "Employee": "Pegawai",
    "EmployeeImport": "Impor pegawai",
    "Evaluation": "Hasil evaluasi",
    "Indicator": "Indikator",
    "Period": "Periode penilaian",
    "Portal": "Kinerja Saya (dasbor, realisasi, bukti)",
    "Position": "Jabatan",
    "Rating": "Penilaian",
    "Report": "Dokumen dan ekspor",
    "RuleSet": "Aturan penilaian",
    "Skp": "SKP",
    "Unit": "Unit kerja",
    "UnitResult": "Predikat unit",
}
_OWN_ACCOUNT = {"UserDBModelView", "ResetMyPasswordView", "UserInfoEditView"}


def _names(pattern: str) -> list[str]:
    """`^(a|b)$` -> [a, b]; `^a$` -> [a]."""
    core = pattern.strip("^$")
    match = re.fullmatch(r"\((.*)\)", core)
    return (match.group(1) if match else core).split("|")


def _access(pattern: str) -> str | None:
    perms = set(_names(pattern.replace("can_", "").replace("^can_(", "^(")))
    if perms >= {"read", "write"}:
        return "melihat dan mengubah"
    if "write" in perms:
        return "mengubah"
    if "read" in perms:
        return "melihat"
    return None


def permission_lines(permissions: Any) -> list[str]:
    """A role's grants in words, one line per resource."""
    lines: dict[str, str] = {}
    own_account = False
    for grant in permissions or []:
        if not isinstance(grant, list | tuple) or len(grant) != 2:
            lines[str(grant)] = ""
            continue
        views, perms = grant
        if views == ".*" and perms == ".*":
            return ["Semua halaman dan tindakan, termasuk pengguna dan peran"]
        if "menu_access" in perms:
            continue  # menus follow the pages a role may open
        for view in _names(views):
            if view in _OWN_ACCOUNT:
                own_account = True
            elif view in RESOURCES and (words := _access(perms)):
                lines[RESOURCES[view]] = words
    out = [f"{name}: {words}" if words else name for name, words in sorted(lines.items())]
    if own_account:
        out.append("Akun sendiri: melihat, mengubah data diri dan kata sandi")
    return out


def _role_with_grants(name: str) -> Markup:
    """A role's name and, below it, what the role allows (from config/roles.py)."""
    lines = permission_lines(current_app.config.get("FAB_ROLES", {}).get(name))
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    listed = f'<ul class="small">{items}</ul>' if items else ""
    return Markup(f"<strong>{escape(name)}</strong>{listed}")


def _names_of(items: Any) -> str:
    return ", ".join(str(getattr(item, "name", item)) for item in items or []) or EMPTY


class KinerjaRoleModelView(RoleModelView):
    """Roles and what they allow, read-only (they are reviewed and changed as code)."""

    base_permissions = ["can_list", "can_show"]
    list_widget = ListWidget  # FAB's role widgets print permissions raw, ignoring formatters
    show_widget = ShowWidget
    list_title = _("Daftar Peran")
    show_title = _("Detail Peran")
    list_columns = show_columns = search_columns = ["name"]
    label_columns = {"name": _("Peran dan yang boleh dilakukannya")}
    formatters_columns = {"name": _role_with_grants}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actions: dict[str, Any] = {}  # no "copy role": roles change in config/roles.py


class KinerjaUserModelView(UserDBModelView):
    """Accounts with readable values; groups (unused here) are not shown; roles are picked in a
    plain multiple select, which screen readers name by its label."""

    list_columns = ["first_name", "last_name", "username", "email", "active", "roles"]
    add_columns = [c for c in UserDBModelView.add_columns if c != "groups"]
    edit_columns = [c for c in UserDBModelView.edit_columns if c != "groups"]
    validators_columns = {"roles": UserDBModelView.validators_columns["roles"]}
    formatters_columns: dict[str, Callable[[Any], str]] = {"roles": _names_of, "groups": _names_of}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for form in (self.add_form, self.edit_form):
            roles = getattr(form, "roles", None)
            if roles is not None:
                roles.kwargs["widget"] = Select(multiple=True)
        shown = set(self.list_columns) | set(self.show_columns)
        for _title, fieldset in self.show_fieldsets or []:
            shown.update(fieldset.get("fields", []))
        for column in shown:
            self.formatters_columns.setdefault(column, display)


class KinerjaGroupModelView(UserGroupModelView):
    """FAB's groups, in Indonesian (roles are given to users directly here)."""

    list_title = _("Daftar Grup")
    show_title = _("Detail Grup")
    add_title = _("Tambah Grup")
    edit_title = _("Ubah Grup")
    label_columns = {
        "name": _("Nama"),
        "label": _("Sebutan"),
        "description": _("Uraian"),
        "users": _("Pengguna"),
        "roles": _("Peran"),
    }
    search_columns = ["name", "label"]
    formatters_columns = {"roles": _names_of, "users": _names_of}
