"""A panel action's refusal as a message on the page the person returns to.

A service refuses with a `ServiceError` in Indonesian (the period is closed, the window has
passed, the text is not valid). Pressing a button should then lead back to a page that says so,
with nothing of the refused change kept — not to an error page. A refusal that means there is
nothing to show (the object does not exist or is not theirs) still goes to the error page via
the global handler (`app/web/errors.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import flash

from app.extensions import db
from app.services.errors import ServiceError


@dataclass
class Outcome:
    """What happened inside `refusal_flashed`: the refusal, when there was one."""

    refusal: ServiceError | None = None


@contextmanager
def refusal_flashed(
    category: str = "danger", passes: tuple[int, ...] = (404,)
) -> Iterator[Outcome]:
    """Run an action; on a refusal roll the request's changes back and flash the service's
    words. A refusal whose status is in `passes` is raised on to the error page."""
    outcome = Outcome()
    try:
        yield outcome
    except ServiceError as exc:
        if exc.status in passes:
            raise
        db.session.rollback()
        flash(exc.message, category)
        outcome.refusal = exc
