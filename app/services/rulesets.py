"""Ruleset versions as the engine sees them: each text is loaded once per process.

The engine registers a ruleset with durable-rules under its checksum, and durable-rules can
never unregister one, so a version is loaded at most once and kept; the number of published
versions a process meets is small.
"""

from __future__ import annotations

import threading
from typing import Any

import yaml

from app.engine import load_ruleset
from app.models import RuleSetVersion

_loaded: dict[str, Any] = {}
_codes: dict[str, set[str]] = {}
_lock = threading.Lock()


def engine_ruleset(version: RuleSetVersion) -> Any:
    """The loaded engine ruleset of a stored version."""
    with _lock:
        ruleset = _loaded.get(version.checksum)
        if ruleset is None:
            ruleset = load_ruleset(version.yaml_text)
            _loaded[version.checksum] = ruleset
        return ruleset


def ruleset_indicator_codes(version: RuleSetVersion | None) -> set[str] | None:
    """The indicator codes a version's aspects use (None: no version, so no restriction).

    Read from the contract's YAML shape (`aspects.<name>.indicators`, a list or a mapping of
    code to weight), cached per checksum like the engine ruleset.
    """
    if version is None:
        return None
    with _lock:
        codes = _codes.get(version.checksum)
        if codes is None:
            document = yaml.safe_load(version.yaml_text) or {}
            codes = set()
            for aspect in (document.get("aspects") or {}).values():
                indicators = (aspect or {}).get("indicators") or []
                codes.update(str(code) for code in indicators)
            _codes[version.checksum] = codes
        return codes
