"""The base every panel view shares: the read/write permission map and Indonesian messages."""

from __future__ import annotations

from flask_appbuilder import ModelView
from flask_babel import lazy_gettext as _

from app.web.permissions import METHOD_PERMISSIONS


class KinerjaModelView(ModelView):
    """A ModelView whose permissions are can_read / can_write on its resource."""

    method_permission_name = METHOD_PERMISSIONS
    page_size = 25
    add_row_message = _("Data berhasil ditambahkan")
    edit_row_message = _("Data berhasil diubah")
    delete_row_message = _("Data berhasil dihapus")


class ReadOnlyModelView(KinerjaModelView):
    """A list and detail view only; rows change through use cases, never by hand."""

    base_permissions = ["can_read"]
