"""`/health` (liveness) and `/ready` (readiness) for load balancers and service managers.

Outside Flask-AppBuilder's security on purpose: a monitor calls them without an account. They
answer only "ok"/"gagal" per dependency, never names, numbers or error texts.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from app.ops.health import Check, broker_check, database_check, run_checks, worker_check

ops = Blueprint("ops", __name__)


@ops.get("/health")
def health() -> ResponseReturnValue:
    """The process is up and answering; nothing else is touched."""
    return jsonify(status="ok")


@ops.get("/ready")
def ready() -> ResponseReturnValue:
    """The database answers, the broker too, and (`KINERJA_READY_REQUIRES_WORKER`) a worker."""
    from app.extensions import db

    checks: dict[str, Check] = {"database": database_check(db.session)}
    broker = current_app.config.get("KINERJA_BROKER_URL")
    if broker:
        checks["broker"] = broker_check(broker)
    if current_app.config.get("KINERJA_READY_REQUIRES_WORKER"):
        checks["worker"] = worker_check(current_app.extensions["celery"])
    results = run_checks(checks)
    ok = all(results.values())
    body = {
        "status": "ok" if ok else "gagal",
        "checks": {name: "ok" if passed else "gagal" for name, passed in results.items()},
    }
    return jsonify(body), 200 if ok else 503


def register_ops(app: Flask) -> None:
    app.register_blueprint(ops)
