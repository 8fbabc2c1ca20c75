"""Errors and located issues: what the engine tells a policy officer or a caller went wrong.

A user's mistake in a ruleset is a value (`Issue`) with an Indonesian message and a YAML position,
so that the web editor can underline it and the CLI can print `FILE:LINE:COL: message`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Issue:
    """One located problem in a ruleset text; `line` and `col` count from 1."""

    line: int
    col: int
    message: str

    def format(self, filename: str) -> str:
        """The `FILE:LINE:COL: message` line of the command-line contract."""
        return f"{filename}:{self.line}:{self.col}: {self.message}"


class EngineError(Exception):
    """Base of every error the engine raises on purpose."""


class RulesetError(EngineError):
    """A ruleset text that does not validate; carries every issue found, in file order."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = sorted(issues)
        first = self.issues[0] if self.issues else None
        summary = f"{first.line}:{first.col}: {first.message}" if first else "tidak valid"
        super().__init__(f"Aturan tidak valid ({len(self.issues)} masalah): {summary}")


class InputError(EngineError):
    """Evaluation input whose shape is wrong (not a list of employee mappings)."""


class DecisionError(EngineError):
    """durable-rules failed while deciding; wraps its exception so callers need not know it."""
