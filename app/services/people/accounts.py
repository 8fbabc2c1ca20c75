"""Login accounts and roles (FAB's tables), kept in step with config/roles.py."""

from __future__ import annotations

from flask import current_app
from flask_appbuilder.security.sqla.models import Role, User
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from config.roles import ROLE_NAMES


def ensure_roles(session: Session, extra: tuple[str, ...] = ("Public",)) -> dict[str, Role]:
    """Create the role rows that users are linked to (idempotent).

    Their permissions are not stored: FAB reads them from config/roles.py.
    """
    existing = {role.name: role for role in session.scalars(select(Role))}
    for name in ROLE_NAMES + extra:
        if name not in existing:
            existing[name] = Role(name=name)
            session.add(existing[name])
    session.flush()
    return existing


def ensure_user(
    session: Session,
    *,
    username: str,
    password: str,
    first_name: str,
    last_name: str,
    email: str,
    roles: list[Role],
) -> tuple[User, bool]:
    """Create a login, or return the existing one unchanged (so re-running never resets it).

    The flag says whether it was created. Hashed as FAB hashes every password (the app's
    FAB_PASSWORD_HASH_METHOD), so that signing in takes as long for every account, and for
    unknown names.
    """
    user = session.scalar(select(User).where(User.username == username))
    if user is not None:
        return user, False
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name or "-",
        email=email,
        active=True,
        password=generate_password_hash(
            password, method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt")
        ),
        roles=roles,
    )
    session.add(user)
    session.flush()
    return user, True
