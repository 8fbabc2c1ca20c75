"""Fuzzing: mutated rulesets give validation issues (or load), never a crash or a hang."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.engine import Issue, RulesetError, load_ruleset, validate_text

PIECES = [
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    "&a",
    "*a",
    "!!python/object",
    "\t",
    "  ",
    "\n",
    "'",
    '"',
    "0",
    "-1",
    "1e309",
    "null",
    "true",
    "all:",
    "not:",
    "gte",
    "~",
    "|",
    ">",
    "#",
    "%",
    "@",
    "di_atas_ekspektasi",
    "sangat_baik",
    "indicator.X",
    "share.",
    "level:",
    "when:",
    "<<: *a",
]


def mutate(text: str, rng: random.Random, edits: int) -> str:
    lines = text.splitlines(keepends=True)
    for _ in range(edits):
        choice = rng.random()
        i = rng.randrange(len(lines))
        if choice < 0.25:
            del lines[i]
        elif choice < 0.45:
            lines.insert(i, lines[rng.randrange(len(lines))])
        elif choice < 0.75:
            line = lines[i]
            at = rng.randrange(len(line) + 1)
            lines[i] = line[:at] + rng.choice(PIECES) + line[at:]
        else:
            line = lines[i]
            if len(line) > 2:
                a = rng.randrange(len(line) - 1)
                lines[i] = line[:a] + line[rng.randrange(a, len(line)) :]
        if not lines:
            lines = ["\n"]
    return "".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32), st.integers(1, 6))
def test_mutated_rulesets_only_ever_give_validation_issues(default_text: str, seed, edits):
    text = mutate(default_text, random.Random(seed), edits)
    issues = validate_text(text)
    assert all(isinstance(i, Issue) and i.line >= 1 and i.col >= 1 and i.message for i in issues)
    if issues:
        try:
            load_ruleset(text)
        except RulesetError as exc:
            assert exc.issues == issues
        else:
            raise AssertionError("an invalid text loaded")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_gives_issues_not_exceptions(text: str) -> None:
    assert isinstance(validate_text(text), list)
