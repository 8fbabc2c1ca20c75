"""FAB base filters that apply the services' row-level rules to lists and APIs."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.models.filters import BaseFilter

from app.services.access import visible_employee_ids, visible_employees, visible_ratings
from app.services.people import organisation
from app.web.actor import current_actor


class VisibleEmployees(BaseFilter):
    """Employees the signed-in user may see."""

    name = "Pegawai yang boleh dilihat"
    arg_name = "visible"

    def apply(self, query: Any, value: Any) -> Any:
        return query.filter(visible_employees(current_actor()))


class OfVisibleEmployee(BaseFilter):
    """Rows whose `column_name` points at an employee the signed-in user may see."""

    name = "Milik pegawai yang boleh dilihat"
    arg_name = "visible_owner"

    def apply(self, query: Any, value: Any) -> Any:
        column = getattr(self.model, self.column_name)
        return query.filter(column.in_(visible_employee_ids(current_actor())))


class VisibleRatings(BaseFilter):
    """Ratings the signed-in user may read one by one (never a peer's, as the ratee)."""

    name = "Penilaian yang boleh dilihat"
    arg_name = "visible_rating"

    def apply(self, query: Any, value: Any) -> Any:
        return query.filter(visible_ratings(current_actor()))


def rating_scope() -> list[list[Any]]:
    """base_filters for views of Rating."""
    return [["id", VisibleRatings, None]]


def employee_scope() -> list[list[Any]]:
    """base_filters for views of Employee."""
    return [["id", VisibleEmployees, None]]


def owner_scope(column: str) -> list[list[Any]]:
    """base_filters for views of rows owned by an employee through `column`."""
    return [[column, OfVisibleEmployee, None]]


class WithoutSupervisor(BaseFilter):
    """Active employees nobody can rate (the Kepegawaian to-do item "tanpa pejabat penilai")."""

    name = "Tidak ada (pegawai aktif, bukan kepala unit)"
    arg_name = "tanpa_atasan"

    def apply(self, query: Any, value: Any) -> Any:
        return query.filter(organisation.without_supervisor())


class WithoutAccount(BaseFilter):
    """Active employees who cannot sign in (the Kepegawaian to-do item "tanpa akun")."""

    name = "Belum ada (pegawai aktif)"
    arg_name = "tanpa_akun"

    def apply(self, query: Any, value: Any) -> Any:
        return query.filter(organisation.without_account())


def only_filters(view: Any, columns: dict[str, list[type[BaseFilter]]]) -> None:
    """Give `columns` of a view exactly these search filters, instead of FAB's defaults.

    FAB offers "equal / not equal" on a relation, with a select of every row (40,000 employees)
    for the value; a missing relation cannot be asked for at all. FAB reads a `_flt_<i>_<column>`
    argument from all of a column's filters and shows those it searches on, so both lists get the
    same filters, in the same order.
    """
    filters = view._filters
    for column, kinds in columns.items():
        chosen = [kind(column, view.datamodel) for kind in kinds]
        filters._search_filters[column] = chosen
        filters._all_filters[column] = chosen
