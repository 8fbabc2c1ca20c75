"""The bridge from FAB's signed-in user to the services' Actor."""

from __future__ import annotations

from flask import current_app, g

from app.services.actor import Actor


def current_actor() -> Actor:
    """The Actor of this request (anonymous: no roles)."""
    user = g.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user_id=None, username="anonim")
    employee = current_app.appbuilder.sm.current_employee()
    return Actor(
        user_id=user.id,
        username=user.username,
        roles=frozenset(role.name for role in user.roles),
        employee_id=employee.id if employee else None,
    )
