"""Evaluation: run the period's pinned ruleset on an employee's submitted ratings and store it.

Live (one employee, after each submit) and batch (a chunk of employees, for close, re-pin and
simulation) share `results_for` and `write_results`, so both give the same result for the same
facts; closing a province runs `results_for` in worker processes (`batch.py`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import JSON, Text, bindparam, cast, insert, select, update
from sqlalchemy.orm import Session

from app.engine import evaluate
from app.models import Employee, Evaluation, Period, RuleSetVersion
from app.models.base import utcnow
from app.services import annual
from app.services.engine_input import build_inputs
from app.services.errors import InvalidInput
from app.services.rulesets import engine_ruleset


def pinned_version(period: Period) -> RuleSetVersion:
    if period.ruleset_version is None:
        raise InvalidInput(f"Periode '{period.name}' belum memiliki versi aturan penilaian.")
    return period.ruleset_version


def results_for(
    session: Session, period: Period, employee_ids: Sequence[int], version: RuleSetVersion
) -> list[dict[str, Any]]:
    """The engine's results for these employees (ascending id order), stored nowhere; for an
    annual period over closed periodic ones, the results derived from those (`annual.py`)."""
    if annual.is_derived(session, period):
        return annual.annual_results(session, period, employee_ids)
    inputs = build_inputs(session, period, employee_ids)
    return evaluate(engine_ruleset(version), inputs)


class StoredResult(NamedTuple):
    """One result as it is written: the columns the database filters on and the JSON text."""

    status: str
    predicate: str | None
    text: str


def stored(result: dict[str, Any]) -> StoredResult:
    """A result made ready to write. Serialised here rather than by the column type, so that a
    worker process can do it (closing a province serialises 40,000 results of some 3.6 kB)."""
    return StoredResult(
        str(result.get("status", "lengkap")), result.get("predicate"), json.dumps(result)
    )


def _result_text(session: Session) -> Any:
    """The bind expression that writes JSON text as it is (the JSON type would encode it again)."""
    param = bindparam("result_text", type_=Text())
    return cast(param, JSON) if session.get_bind().dialect.name == "postgresql" else param


def write_results(
    session: Session,
    period: Period,
    employee_ids: Sequence[int],
    results: Sequence[StoredResult],
    version: RuleSetVersion,
) -> None:
    """Store one result per employee, replacing earlier ones (an override stays). No commit.

    Written with two executemany statements rather than ORM objects: closing a provincial
    period writes 40,000 rows, and the unit of work spent more time than the rules engine.
    Rows already loaded in the session are expired so that nobody reads a stale result.
    """
    table = Evaluation.__table__
    existing = dict(
        session.execute(
            select(Evaluation.employee_id, Evaluation.id).where(
                Evaluation.period_id == period.id, Evaluation.employee_id.in_(employee_ids)
            )
        ).all()
    )
    now = utcnow()
    updates, inserts = [], []
    for employee_id, (status, predicate, text) in zip(employee_ids, results, strict=True):
        values = {"status": status, "predicate": predicate, "result_text": text,
                  "computed_at": now, "ruleset_version_id": version.id}  # fmt: skip
        if employee_id in existing:
            updates.append({"row_id": existing[employee_id], **values})
        else:
            inserts.append({"period_id": period.id, "employee_id": employee_id,
                            "lock_version": 1, **values})  # fmt: skip
    result_text = _result_text(session)
    if updates:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values(
                status=bindparam("status"),
                predicate=bindparam("predicate"),
                result=result_text,
                computed_at=bindparam("computed_at"),
                ruleset_version_id=bindparam("ruleset_version_id"),
                lock_version=table.c.lock_version + 1,
            ),
            updates,
        )
    if inserts:
        session.execute(insert(table).values(result=result_text), inserts)
    for row in list(session.identity_map.values()):
        if isinstance(row, Evaluation) and row.__dict__.get("employee_id") in existing:
            session.expire(row)


def store_chunk(
    session: Session,
    period: Period,
    employee_ids: Sequence[int],
    version: RuleSetVersion | None = None,
) -> int:
    """Evaluate and store a chunk. No commit: the caller decides the transaction."""
    version = version or pinned_version(period)
    ids = sorted(employee_ids)
    results = [stored(r) for r in results_for(session, period, ids, version)]
    write_results(session, period, ids, results, version)
    return len(ids)


def evaluate_employee(session: Session, period: Period, employee_id: int) -> Evaluation:
    """Re-evaluate one employee now (live evaluation) and return the stored row. No commit."""
    if session.get(Employee, employee_id) is None:
        raise InvalidInput("Pegawai tidak ditemukan.")
    store_chunk(session, period, [employee_id])
    return session.scalars(
        select(Evaluation).where(
            Evaluation.period_id == period.id, Evaluation.employee_id == employee_id
        )
    ).one()

