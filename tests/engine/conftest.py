"""Shared fixtures of the engine tests: the default ruleset, compiled once per session."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.engine import CompiledRuleset, load_ruleset

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RULES = ROOT / "rules" / "kinerja-asn-aceh.yaml"
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def default_text() -> str:
    return DEFAULT_RULES.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def ruleset() -> CompiledRuleset:
    return load_ruleset(DEFAULT_RULES)
