"""gunicorn settings for Kinerja (docs/deployment.md). Every value can be overridden from the
environment file of the systemd unit (/etc/kinerja/kinerja.env)."""

import os

bind = os.environ.get("KINERJA_BIND", "127.0.0.1:8000")
# CPU-bound pages: about two workers per core; each builds its own rules engine after the fork.
workers = int(os.environ.get("KINERJA_WEB_WORKERS", str(2 * (os.cpu_count() or 1))))
threads = int(os.environ.get("KINERJA_WEB_THREADS", "1"))
timeout = int(os.environ.get("KINERJA_WEB_TIMEOUT", "60"))  # long work runs on the worker queue
graceful_timeout = 30
keepalive = 5
max_requests = 2000  # recycle workers now and then: bounded memory over months of uptime
max_requests_jitter = 200
preload_app = False  # durable-rules' host and its timer threads must be built after the fork
limit_request_line = 8190
limit_request_fields = 100

# Forwarded headers are trusted only when a proxy is declared (KINERJA_TRUSTED_PROXIES > 0), and
# then only from the proxy's own addresses; the app applies the same count through ProxyFix.
_trusted = int(os.environ.get("KINERJA_TRUSTED_PROXIES", "0") or 0)
forwarded_allow_ips = os.environ.get("KINERJA_PROXY_ADDRESSES", "127.0.0.1") if _trusted else ""

accesslog = None  # the app logs one JSON line per request, with its request id
errorlog = "-"
loglevel = os.environ.get("KINERJA_LOG_LEVEL", "info").lower()


def child_exit(server, worker):  # noqa: ANN001 - gunicorn's hook signature
    """Prometheus in multiprocess mode: drop a dead worker's live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

        GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)
