"""Prometheus metrics: request latency per endpoint from prometheus-flask-exporter, plus Kinerja's
own counters (login failures, background task durations).

The app's own metrics live in one module-level registry so that services and workers can count
without an application at hand; each app gets a fresh registry for the per-request metrics (tests
build many apps in one process, and the default registry refuses a metric registered twice) and
forwards the module-level one. Under gunicorn with `PROMETHEUS_MULTIPROC_DIR` set, the exporter
aggregates every worker's files instead.

Labels never carry personal data: requests are grouped by endpoint name, not by path (a path may
hold an employee's id), and login failures are counted without the user name.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from flask import Flask, abort, request

# In multiprocess mode every process writes its figures into this folder as soon as a metric
# exists; a command run outside the services (`flask db upgrade`) must find it too.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram  # noqa: E402
from prometheus_client.metrics_core import Metric

KINERJA_REGISTRY = CollectorRegistry(auto_describe=True)

LOGIN_FAILURES = Counter(
    "kinerja_login_failures",
    "Failed sign-ins (panel form and API), by the way they were refused.",
    ["reason"],
    registry=KINERJA_REGISTRY,
)
TASK_DURATION = Histogram(
    "kinerja_task_duration_seconds",
    "Background task run time, by task name and outcome.",
    ["task", "outcome"],
    registry=KINERJA_REGISTRY,
    buckets=(0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600),
)


QUEUE_LENGTH = Gauge(
    "kinerja_queue_length",
    "Messages waiting in the background work queue (Redis broker), read at each scrape.",
    registry=KINERJA_REGISTRY,
    multiprocess_mode="mostrecent",
)


def _measure_queue() -> None:
    """Read the queue's length from Redis; other brokers (the embedded one) report nothing."""
    from flask import current_app

    url = str(current_app.config.get("KINERJA_BROKER_URL", ""))
    if not url.startswith(("redis://", "rediss://")):
        return
    import redis

    prefix = current_app.config.get("KINERJA_BROKER_KEY_PREFIX", "")
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        QUEUE_LENGTH.set(client.llen(f"{prefix}{current_app.config['KINERJA_QUEUE']}"))
    except redis.RedisError:
        pass  # /ready reports the broker; the gauge keeps its last value
    finally:
        client.close()


class _Forward:
    """Expose KINERJA_REGISTRY's samples through an app's own registry."""

    def collect(self) -> Iterable[Metric]:
        return KINERJA_REGISTRY.collect()


def _token_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """`KINERJA_METRICS_TOKEN` set: the scraper must send `Authorization: Bearer <token>`; then
    the gauges read at scrape time are brought up to date."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        from flask import current_app

        token = current_app.config.get("KINERJA_METRICS_TOKEN") or ""
        if token:
            given = request.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
                abort(401)
        _measure_queue()
        return view(*args, **kwargs)

    return guarded


def register_metrics(app: Flask) -> None:
    """`/metrics` on this app (off when `KINERJA_METRICS_ENABLED` is false)."""
    if not app.config.get("KINERJA_METRICS_ENABLED", True):
        return
    from prometheus_flask_exporter import PrometheusMetrics

    registry = CollectorRegistry(auto_describe=True)
    registry.register(_Forward())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        GunicornInternalPrometheusMetrics(
            app, group_by="endpoint", metrics_decorator=_token_required
        )
        return
    PrometheusMetrics(
        app,
        registry=registry,
        group_by="endpoint",
        metrics_decorator=_token_required,
        excluded_paths=["/static/", "/health", "/ready"],
    )
