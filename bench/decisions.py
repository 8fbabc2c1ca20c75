"""The decisions every implementation must agree on, in one comparable shape.

The engine, the plain-Python oracle and the two peers return different structures; reducing each
to a `Decision` (proposed level per aspect, predikat, awards, training) lets the benchmark count
disagreements instead of eyeballing them.
"""

from __future__ import annotations

from typing import NamedTuple

COMPLETE = "lengkap"
INCOMPLETE = "belum_lengkap"


class Decision(NamedTuple):
    """What was decided for one employee; awards and training in rule order."""

    status: str
    levels: tuple[tuple[str, str], ...]
    predicate: str | None
    awards: tuple[str, ...]
    training: tuple[str, ...]


def make(
    status: str,
    levels: dict[str, str | None],
    predicate: str | None,
    awards: list[str] | tuple[str, ...],
    training: list[str] | tuple[str, ...],
) -> Decision:
    """A `Decision` with levels sorted by aspect (so dict order does not matter)."""
    shown = tuple(sorted((a, str(v)) for a, v in levels.items() if v is not None))
    return Decision(status, shown, predicate, tuple(awards), tuple(training))


def differences(left: Decision, right: Decision) -> list[str]:
    """Which parts differ: any of 'status', 'levels', 'predicate', 'awards', 'training'."""
    return [name for name in Decision._fields if getattr(left, name) != getattr(right, name)]
