"""Panel lists and detail pages of evaluations read through the confidentiality rule: the
values FAB's widgets show come from `confidentiality.shown_evaluations`, not from the row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from app.extensions import db
from app.models import Evaluation
from app.services.public import confidentiality
from app.web.actor import current_actor
from app.web.eager import EagerInterface


class ConfidentialEvaluations(EagerInterface):
    """FAB's model interface for Evaluation, answering with what the viewer may read; a page's
    rows come with their period, employee and ruleset version."""

    def __init__(self, obj: type = Evaluation, session: Any = None) -> None:
        # FAB builds one per related model with this signature
        eager = ("period", "employee", "ruleset_version") if obj is Evaluation else ()
        super().__init__(obj, session, eager)

    def _value(self, item: Evaluation, shown: confidentiality.Shown, column: str) -> Any:
        if column == "result":
            return shown.result
        if column in ("predicate", "status", "final_predicate"):
            return getattr(shown, column)
        return self._get_attr_value(item, column)

    def get_values_item(self, item: Evaluation, show_columns: list[str]) -> list[Any]:
        if self.obj is not Evaluation:
            return super().get_values_item(item, show_columns)
        shown = confidentiality.shown_evaluation(db.session, current_actor(), item)
        return [self._value(item, shown, column) for column in show_columns]

    def get_values(self, lst: Iterable[Evaluation], list_columns: list[str]) -> Iterator[dict]:
        if self.obj is not Evaluation:
            yield from super().get_values(lst, list_columns)
            return
        rows = list(lst)
        shown = confidentiality.shown_evaluations(db.session, current_actor(), rows)
        for item in rows:
            yield {column: self._value(item, shown[item.id], column) for column in list_columns}
