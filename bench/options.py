"""Options shared by every benchmark module, so that the runner stays one loop over modules."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    """What the runner passes to each benchmark's `run`.

    `quick` asks for a smoke-sized run (seconds, for tests and CI); `memory` asks for the long
    memory-flatness measurement that the default run leaves out to stay within a few minutes;
    `size` overrides a module's default problem size; `seed` makes generated data reproducible.
    """

    quick: bool = False
    memory: bool = False
    size: int | None = None
    seed: int = 20260101
