"""Logs: JSON lines for the data centre's collector, plain text for a developer's terminal.

Every line of a request carries its request id, the user's numeric id and the endpoint, and the
request ends with one `request` line with status and duration. Only structural facts are logged:
no query strings, form fields, cookies, tokens, names or NIPs (a path can hold an object id, so
the endpoint name is logged instead of the path). Library loggers (werkzeug, gunicorn, Flask-
AppBuilder, Celery) go through the same formatter. Flask-AppBuilder's loggers are kept at WARNING:
below that they chatter at every start and name the user on a failed login.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import IO, Any

import structlog
from flask import Flask, g, request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_HANDLER_NAME = "kinerja"


def configure_logging(
    fmt: str = "text", level: str = "INFO", stream: IO[str] | None = None, attach: bool = True
) -> None:
    """Route structlog's logs into the standard library's, and (with `attach`) give the root
    logger one formatter for both.

    Calling it again replaces only the handler it added before, so other handlers (a test
    runner's capture) stay; tests build apps without attaching, leaving output to the runner.
    """
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    if not attach:
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.getLogger("flask_appbuilder").setLevel(logging.WARNING)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the request line below replaces it


def register_request_logging(app: Flask) -> None:
    """A request id per request (the proxy's `X-Request-ID` when well-formed), bound to every log
    line of the request and echoed in the response; one summary line per request."""
    log = structlog.get_logger("kinerja.request")

    @app.before_request
    def _bind() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            request_id=g.request_id, endpoint=request.endpoint, method=request.method
        )

    @app.after_request
    def _summary(response: Any) -> Any:
        started = g.get("request_started")
        if started is None:
            return response
        from flask_login import current_user

        user_id = getattr(current_user, "id", None) if current_user else None
        if request.endpoint != "static":
            log.info(
                "request",
                status=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 1),
                user_id=user_id if isinstance(user_id, int) else None,
            )
        response.headers["X-Request-ID"] = g.request_id
        return response

    @app.teardown_request
    def _unbind(_exc: BaseException | None) -> None:
        structlog.contextvars.clear_contextvars()
