"""Evaluating a whole period: in this process, or chunk by chunk in worker processes.

Deciding 40,000 employees is CPU-bound Python (reading each one's ratings into engine input,
the engine, serialising the result); writing the results is the database's work. Closing a
province therefore hands chunks to worker processes, each with its own connection, and only
writes in this process: in chunk order, one transaction per chunk, exactly as the in-process
path does, so the job stays resumable and its results do not depend on the path taken.
Small periods stay in-process (starting a worker costs about a second), and so does an
in-memory SQLite database, which another process cannot open.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from flask import current_app, has_app_context
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from app.models import Period, RuleSetVersion
from app.services.evaluations import StoredResult, results_for, stored

Chunk = list[int]


def plan(session: Session, employees: int) -> tuple[int, str | None]:
    """How many processes to use, and the database URL they connect to (None: in-process).

    `KINERJA_WORKERS` (0: one per core, at most 4; 1: always in-process) and
    `KINERJA_PARALLEL_MIN` (the smallest number of employees worth starting workers for).
    """
    config = current_app.config if has_app_context() else {}
    wanted = int(config.get("KINERJA_WORKERS") or min(os.cpu_count() or 1, 4))
    threshold = int(config.get("KINERJA_PARALLEL_MIN", 5000))
    url = session.get_bind().url
    in_memory = url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")
    if wanted <= 1 or employees < max(threshold, 2) or in_memory:
        return 1, None
    return min(wanted, employees), url.render_as_string(hide_password=False)


def pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes started fresh (spawn): the engine's durable-rules host must not be
    inherited through fork."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


_engines: dict[str, Engine] = {}  # one connection pool per database, per worker process
#: A worker decides its chunk in slices of this many employees: the engine input and results of
#: a slice are freed before the next, which keeps each worker near 100 MB instead of 150 MB.
WORKER_SLICE = 500


def _evaluate_in_worker(
    url: str, period_id: int, version_id: int, ids: Chunk
) -> list[StoredResult]:
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = create_engine(url)
    out: list[StoredResult] = []
    with Session(engine) as session:
        period = session.get(Period, period_id)
        version = session.get(RuleSetVersion, version_id)
        for start in range(0, len(ids), WORKER_SLICE):
            part = ids[start : start + WORKER_SLICE]
            out += map(stored, results_for(session, period, part, version))
    return out


def evaluated_chunks(
    session: Session,
    period: Period,
    version: RuleSetVersion,
    chunks: Iterable[Chunk],
    employees: int,
) -> Iterator[tuple[Chunk, list[StoredResult]]]:
    """Each chunk with its results ready to write, in the order of `chunks`.

    With workers, a few chunks are decided ahead (two per worker), so memory stays bounded by
    the chunk size whatever the period's size.
    """
    workers, url = plan(session, employees)
    if url is None:
        for chunk in chunks:
            yield chunk, [stored(r) for r in results_for(session, period, chunk, version)]
        return
    ahead: deque[tuple[Chunk, Future[list[StoredResult]]]] = deque()
    executor = pool(workers)
    try:
        for chunk in chunks:
            ahead.append(
                (chunk, executor.submit(_evaluate_in_worker, url, period.id, version.id, chunk))
            )
            if len(ahead) >= 2 * workers:
                done, future = ahead.popleft()
                yield done, future.result()
        while ahead:
            done, future = ahead.popleft()
            yield done, future.result()
    finally:  # also when the caller stops early: chunks not yet started are dropped
        executor.shutdown(wait=True, cancel_futures=True)
