"""The base every panel view shares: the read/write permission map and Indonesian messages."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_appbuilder import ModelView, expose
from flask_babel import lazy_gettext as _
from sqlalchemy import inspect
from wtforms.validators import Length

from app.services.errors import InvalidInput
from app.web.permissions import METHOD_PERMISSIONS


class KinerjaModelView(ModelView):
    """A ModelView whose permissions are can_read / can_write on its resource."""

    method_permission_name = METHOD_PERMISSIONS
    page_size = 25
    add_row_message = _("Data berhasil ditambahkan")
    edit_row_message = _("Data berhasil diubah")
    delete_row_message = _("Data berhasil dihapus")

    def __init__(self, **kwargs: Any) -> None:
        self.validators_columns = _with_text_limits(self.datamodel.obj, self.validators_columns)
        super().__init__(**kwargs)

    @expose("/action_post", methods=["POST"])
    def action_post(self) -> Any:
        """FAB's bulk action, refusing an action name the view does not have (FAB: a 500)."""
        if request.form.get("action") not in self.actions:
            raise InvalidInput("Tindakan tidak dikenal.")
        return super().action_post()


class ReadOnlyModelView(KinerjaModelView):
    """A list and detail view only; rows change through use cases, never by hand."""

    base_permissions = ["can_read"]


def _with_text_limits(
    model: type, validators: dict[str, list[Any]] | None
) -> dict[str, list[Any]]:
    """The form shows a free-text column's bound (its `max_length` info) on the field itself;
    FAB derives one only from a String(n) type."""
    merged = {name: list(rules) for name, rules in (validators or {}).items()}
    for column in inspect(model).columns:
        limit = (column.info or {}).get("max_length")
        if limit:
            merged.setdefault(column.key, []).append(
                Length(max=limit, message=_("Paling banyak %(max)d karakter.", max=limit))
            )
    return merged
