"""REST resources `unit` and `employee`."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface

from app.extensions import db
from app.models import Employee, Unit
from app.services.people import organisation
from app.web.api.base import KinerjaModelApi
from app.web.filters import employee_scope


def _id(obj: object | None) -> int | None:
    return getattr(obj, "id", None)


class UnitApi(KinerjaModelApi):
    resource_name = "unit"
    datamodel = SQLAInterface(Unit)
    class_permission_name = "Unit"
    list_columns = ["id", "code", "name", "parent.id", "parent.name", "is_active"]
    show_columns = list_columns
    add_columns = edit_columns = ["code", "name", "parent", "is_active"]

    def pre_add(self, item: Unit) -> None:
        organisation.check_unit_parent(db.session, None, _id(item.parent))

    def pre_update(self, item: Unit) -> None:
        organisation.check_unit_parent(db.session, item.id, _id(item.parent))


class EmployeeApi(KinerjaModelApi):
    resource_name = "employee"
    datamodel = SQLAInterface(Employee)
    class_permission_name = "Employee"
    base_filters = employee_scope()
    list_columns = [
        "id",
        "nip",
        "name",
        "status",
        "golongan",
        "jenjang",
        "position.name",
        "unit.name",
        "supervisor.id",
        "supervisor.name",
        "is_unit_head",
        "is_active",
    ]
    show_columns = list_columns
    add_columns = edit_columns = [
        "nip",
        "name",
        "status",
        "golongan",
        "jenjang",
        "position",
        "unit",
        "supervisor",
        "is_unit_head",
        "is_active",
    ]
    search_columns = ["nip", "name", "unit", "supervisor", "golongan", "jenjang"]

    def _check(self, item: Employee, employee_id: int | None) -> None:
        item.jenjang = item.jenjang or None
        organisation.check_employee(
            db.session,
            employee_id=employee_id,
            nip=item.nip,
            status=item.status,
            golongan=item.golongan,
            supervisor_id=_id(item.supervisor),
            jenjang=item.jenjang,
            jabatan_kind=organisation.position_kind(db.session, _id(item.position)),
        )

    def pre_add(self, item: Employee) -> None:
        self._check(item, None)

    def pre_update(self, item: Employee) -> None:
        self._check(item, item.id)
