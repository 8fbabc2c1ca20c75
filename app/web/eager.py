"""A model interface for panel lists that loads the rows' related objects with the rows.

FAB's list query selects the listed model only; each related object a column shows (a rating's
ratee, rater, indicator, RHK, period) is then loaded lazily, one statement per distinct object,
so a page of 100 rows cost about 60 statements and a page of Hasil Evaluasi 100 more than a page
of 10. Joining the many-to-one relations into the one list statement keeps a page at a fixed
number of statements whatever its size.
"""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.sqla.interface import SQLAInterface
from sqlalchemy.orm import Query, joinedload


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
