"""Refusals on the employee and public pages: an Indonesian message page with the service's
status (404 for what the user may not know exists), never a traceback."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from app.extensions import db
from app.services.errors import ServiceError


def refusals_as_pages(method: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a BaseView method: a ServiceError becomes kinerja/error.html with its status."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except ServiceError as exc:
            db.session.rollback()
            page = self.render_template(
                "kinerja/error.html", message=exc.message, status=exc.status
            )
            return page, exc.status

    return wrapper
