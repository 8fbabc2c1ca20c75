"""Form widgets the panel renders on hot pages."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape
from wtforms.widgets import html_params


@lru_cache(maxsize=32)
def _options(choices: tuple[tuple[str, str], ...]) -> str:
    return "".join(
        f'<option value="{escape(value)}">{escape(label)}</option>' for value, label in choices
    )


class FilterSelectWidget(Select2Widget):
    """A Select2 of many options whose HTML is rendered once per distinct list of choices.

    The employee list draws its unit filter (hundreds of units) on every page view; WTForms
    renders each option through `html_params`, which cost more than the list's rows. A field
    with a selected value is rendered the ordinary way.
    """

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        if field.data not in (None, "", "None"):
            return super().__call__(field, **kwargs)
        kwargs.setdefault("id", field.id)
        kwargs["class"] = "my_select2 form-control"
        kwargs["data-placeholder"] = _("Select Value")
        if "name_" in kwargs:
            field.name = kwargs.pop("name_")
        choices = tuple((str(value), str(label)) for value, label in field.choices)
        params = html_params(name=field.name, **kwargs)
        return Markup(f"<select {params}>{_options(choices)}</select>")
