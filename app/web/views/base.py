"""The base every panel view shares: the read/write permission map, Indonesian messages, values
written for people, and a bounded page size."""

from __future__ import annotations

from typing import Any

from flask import abort, request
from flask_appbuilder import ModelView, expose
from flask_babel import lazy_gettext as _
from sqlalchemy import inspect
from wtforms.validators import Length

from app.domain.wording import display
from app.services.errors import InvalidInput
from app.web.permissions import METHOD_PERMISSIONS

# A list page never draws more rows than this, whatever `psize_<View>` asks for: a page of
# 40,000 rows would take seconds and megabytes for anyone who edits the address.
MAX_PAGE_SIZE = 100


def bounded_page_size(requested: int | None, default: int) -> int:
    """The page size to use: the requested one within 1..MAX_PAGE_SIZE, else the default."""
    if requested is None or requested < 1:
        return default
    return min(requested, MAX_PAGE_SIZE)


class KinerjaModelView(ModelView):
    """A ModelView whose permissions are can_read / can_write on its resource.

    Every listed or shown column without its own formatter is written by `display`, so no
    screen prints a vocabulary code, `None`, `True`, a UTC timestamp or a Python repr.
    """

    method_permission_name = METHOD_PERMISSIONS
    page_size = 25
    add_row_message = _("Data berhasil ditambahkan")
    edit_row_message = _("Data berhasil diubah")
    delete_row_message = _("Data berhasil dihapus")

    def __init__(self, **kwargs: Any) -> None:
        self.validators_columns: dict[str, list[Any]] = _with_text_limits(
            self.datamodel.obj, self.validators_columns
        )
        super().__init__(**kwargs)
        for column in (*self.list_columns, *self.show_columns):
            self.formatters_columns.setdefault(column, display)

    @expose("/action_post", methods=["POST"])
    def action_post(self) -> Any:
        """FAB's bulk action, refusing an action name the view does not have (FAB: a 500)."""
        if request.form.get("action") not in self.actions:
            raise InvalidInput("Tindakan tidak dikenal.")
        return super().action_post()

    def _list(self, **kwargs: Any) -> Any:
        # FAB reads `page_<View>` and `psize_<View>` with int(): a typed-in word would be a 500.
        for name, value in request.args.items():
            if name.startswith(("page_", "psize_")) and not value.lstrip("-").isdigit():
                abort(400)
        return super()._list(**kwargs)

    def _get_list_widget(self, filters: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["page_size"] = bounded_page_size(kwargs.get("page_size"), self.page_size)
        return super()._get_list_widget(filters, *args, **kwargs)


class ReadOnlyModelView(KinerjaModelView):
    """A list and detail view only; rows change through use cases, never by hand."""

    base_permissions = ["can_read"]


def _with_text_limits(
    model: type[Any], validators: dict[str, list[Any]] | None
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
