"""Every page and endpoint of Kinerja's own views asks for one of two permissions, can_read or
can_write (app/web/permissions.py): a page left out of its view's map would ask for a
permission no role holds, and nobody could open it."""

from __future__ import annotations

FAB_SECURITY_VIEWS = {
    "UserInfoEditView",
    "ResetPasswordView",
    "ResetMyPasswordView",
    "UserDBModelView",
    "KinerjaRoleModelView",
    "KinerjaGroupModelView",
    "OpenApi",
    "SwaggerView",
    "MenuApi",
}


def test_each_kinerja_view_asks_only_read_or_write(demo_app):
    asked = {
        view.class_permission_name: set(view.base_permissions or ())
        for view in demo_app.appbuilder.baseviews
        if view.class_permission_name not in FAB_SECURITY_VIEWS
    }
    assert len(asked) > 20
    odd = {name: perms - {"can_read", "can_write"} for name, perms in asked.items()}
    assert not {name: perms for name, perms in odd.items() if perms}
