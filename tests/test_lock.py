"""The lock files (requirements/*.txt, `make lock`) are in step with pyproject.toml: every
declared dependency is pinned, with hashes, at a version its range admits; the production lock
holds no test, lint or benchmark tool."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", re.M)


def _pins(name: str) -> dict[str, str]:
    text = (ROOT / "requirements" / name).read_text()
    return {canonicalize_name(m.group(1)): m.group(2) for m in PIN.finditer(text)}


def _declared(*extras: str) -> list[Requirement]:
    declared = [Requirement(r) for r in PROJECT["dependencies"]]
    for extra in extras:
        declared += [Requirement(r) for r in PROJECT["optional-dependencies"][extra]]
    return declared


@pytest.mark.parametrize(
    ("lock", "extras"),
    [("runtime.txt", ()), ("dev.txt", ("dev", "bench")), ("ldap.txt", ("ldap",))],
)
def test_every_declared_dependency_is_pinned_within_its_range(lock, extras):
    pins = _pins(lock)
    for requirement in _declared(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in requirements/{lock}: run make lock"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{requirement.name}=={pins[name]} is outside {requirement.specifier}: run make lock"
        )


def test_every_pin_carries_a_hash():
    for lock in ("runtime.txt", "dev.txt", "ldap.txt"):
        text = (ROOT / "requirements" / lock).read_text()
        blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text)
        for block in blocks[1:]:
            assert "--hash=sha256:" in block, block.splitlines()[0]


def test_production_lock_has_no_development_or_benchmark_tools():
    runtime = _pins("runtime.txt")
    tools = ("pytest", "ruff", "hypothesis", "playwright", "schemathesis", "pip-tools")
    for tool in (*tools, "zen-engine", "rule-engine", "aiosmtpd"):
        assert canonicalize_name(tool) not in runtime
