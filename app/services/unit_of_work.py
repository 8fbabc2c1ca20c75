"""One transaction per use case: what the use case wrote, its audit entries included, is
committed when it returns and rolled back, all of it, when it raises.

Callers (panel views, API endpoints, the command line, tasks) therefore never commit or roll
back themselves, and a refusal never leaves half a change in the session for a later commit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.services.errors import Conflict

P = ParamSpec("P")
R = TypeVar("R")

STALE = "Data ini telah diubah oleh pengguna lain sejak halaman dibuka; muat ulang halaman."


def unit_of_work(
    *, stale: str = STALE, duplicate: str | None = None
) -> Callable[[Callable[Concatenate[Session, P], R]], Callable[Concatenate[Session, P], R]]:
    """Decorate a use case whose first argument is the session.

    A lost optimistic-locking race (`lock_version`) becomes `Conflict(stale)`; a unique
    constraint broken by a concurrent writer becomes `Conflict(duplicate)` when the use case
    names that message, and stays an error otherwise (it would be a fault, not a race).
    """

    def decorate(
        use_case: Callable[Concatenate[Session, P], R],
    ) -> Callable[Concatenate[Session, P], R]:
        @functools.wraps(use_case)
        def run(session: Session, /, *args: P.args, **kwargs: P.kwargs) -> R:
            try:
                result = use_case(session, *args, **kwargs)
                session.commit()
            except StaleDataError:
                session.rollback()
                raise Conflict(stale) from None
            except IntegrityError:
                session.rollback()
                if duplicate is None:
                    raise
                raise Conflict(duplicate) from None
            except BaseException:
                session.rollback()
                raise
            return result

        return run

    return decorate
