"""Form widgets the panel renders on hot pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from flask import request, url_for
from markupsafe import Markup, escape
from wtforms.widgets import html_params

from app.services.people.lookup import Choice


class TypeaheadWidget:
    """A select that searches on the server as the user types (app/static/js/typeahead.js).

    It carries no options of its own, only those already chosen in the page's active filters
    (`_flt_<n>_<column>` arguments), named by `chosen` within what the viewer may see. So a list
    of 40,000 employees costs the page nothing and shows no one to a viewer who may not see them.
    """

    def __init__(self, endpoint: str, chosen: Callable[[list[int]], list[Choice]]) -> None:
        self.endpoint = endpoint
        self.chosen = chosen

    def __call__(self, field: Any, **kwargs: Any) -> Markup:
        kwargs.setdefault("id", field.id)
        name = kwargs.pop("name_", None) or field.name
        pattern = re.compile(rf"_flt_\d+_{re.escape(name)}$")
        ids = sorted(
            {int(v) for k, v in request.args.items(multi=True) if pattern.match(k) and v.isdigit()}
        )
        options = "".join(
            f'<option value="{c.id}">{escape(c.text)}</option>' for c in self.chosen(ids)
        )
        params = html_params(
            name=name,
            class_="kinerja-typeahead form-control",
            data_source=url_for(self.endpoint),
            data_placeholder="Ketik NIP atau nama (minimal 2 huruf)",
            **{"aria-label": str(field.label.text)},
            **kwargs,
        )
        return Markup(f'<select {params}><option value=""></option>{options}</select>')
