"""The bridge from FAB's signed-in user to the services' Actor."""

from __future__ import annotations

from flask import current_app, g, has_request_context

from app.services.actor import Actor


def current_actor() -> Actor:
    """The Actor of this request (anonymous: no roles)."""
    user = g.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user_id=None, username="anonim")
    employee = current_app.extensions["appbuilder"].sm.current_employee()
    return Actor(
        user_id=user.id,
        username=user.username,
        roles=frozenset(role.name for role in user.roles),
        employee_id=employee.id if employee else None,
    )


def signed_in_actor() -> Actor | None:
    """Who the audit trail names for a write without a service's actor (FAB's generated CRUD
    and REST API): the session's user or the JWT's, without roles; None outside a request or
    when nobody is signed in."""
    if not has_request_context():
        return None
    user = current_app.extensions["appbuilder"].sm.current_user
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    return Actor(user_id=user.id, username=user.username)
