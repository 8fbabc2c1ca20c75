"""A model interface for panel lists that loads the rows' related objects with the rows, and
counts the matching rows only up to a cap.

FAB's list query selects the listed model only; each related object a column shows (a rating's
ratee, rater, indicator, RHK, period) is then loaded lazily, one statement per distinct object,
so a page of 100 rows cost about 60 statements and a page of Hasil Evaluasi 100 more than a page
of 10. Joining the many-to-one relations into the one list statement keeps a page at a fixed
number of statements whatever its size.

FAB also counts every matching row for the pager. For a period's 1.2 million ratings that count
was most of the page's time, on every page; nobody pages through more than a few thousand rows,
so past `KINERJA_LIST_COUNT_CAP` the list says "more than" the cap and pages up to it.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_appbuilder.models.filters import Filters
from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import Query, joinedload


class CappedCount(int):
    """A count that stopped at the cap: the list template says "lebih dari" it (widgets are
    rendered without the request context, so the flag travels with the number)."""

    capped = True


class EagerInterface(SQLAInterface):
    """FAB's SQLAlchemy interface whose list and detail queries join `eager` relations (names of
    many-to-one relationships of `obj`, dotted for a relation of a relation)."""

    eager: tuple[str, ...] = ()

    def __init__(self, obj: type, session: Any = None, eager: tuple[str, ...] = ()) -> None:
        # FAB builds an interface per related model as `type(self)(model)`: those get no joins.
        super().__init__(obj, session)
        self.eager = eager

    def _load_options(self) -> list[Any]:
        options = []
        for path in self.eager:
            model, load = self.obj, None
            for name in path.split("."):
                attribute = getattr(model, name)
                load = joinedload(attribute) if load is None else load.joinedload(attribute)
                model = attribute.property.mapper.class_
            options.append(load)
        return options

    def apply_all(self, query: Query, *args: Any, **kwargs: Any) -> Query:
        """The page's rows with their related objects, in the same one statement."""
        return super().apply_all(query, *args, **kwargs).options(*self._load_options())

    def query_count(
        self,
        query: Query,
        filters: Filters | None = None,
        select_columns: list[str] | None = None,
    ) -> int:
        """The matching rows counted up to the cap (a `CappedCount` of the cap when there are
        more); without a cap, all of them as FAB counts."""
        cap = current_app.config.get("KINERJA_LIST_COUNT_CAP") or 0
        if cap <= 0:
            return int(super().query_count(query, filters, select_columns))
        rows = self._apply_inner_all(
            query, filters, select_columns=select_columns, aliases_mapping={}
        )
        count = int(rows.limit(cap + 1).count())
        return CappedCount(cap) if count > cap else count
