"""Ruleset versions as the engine sees them: each text is loaded once per process and catalogue.

The engine registers a ruleset with durable-rules under its checksum, and durable-rules can
never unregister one, so a version is loaded at most once and kept; the number of published
versions a process meets is small.

Every path that loads a ruleset (validation, publish, close, re-pin, simulation, the live
evaluation) passes the indicator catalogue of the database with it, so that the rater kinds
it allows per indicator are the ones the engine enforces: a rating by another kind makes that
employee's result `tidak_valid`. A change to the catalogue loads the version again.
"""

from __future__ import annotations

import threading
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.engine import RulesetError, load_ruleset
from app.models import Indicator, RuleSetVersion
from app.services.errors import Conflict

Catalogue = tuple[tuple[str, tuple[str, ...]], ...]  # (code, rater kinds), by code

_loaded: dict[tuple[str, Catalogue | None], Any] = {}
_codes: dict[str, set[str]] = {}
_lock = threading.Lock()


def catalogue(session: Session) -> Catalogue | None:
    """The database's indicator catalogue: each code with the rater kinds that may rate it
    (None when the table is empty, as in a database not yet initialised, so that nothing is
    refused for want of a catalogue)."""
    rows = session.execute(select(Indicator.code, Indicator.rater_kinds).order_by(Indicator.code))
    found = tuple(
        (code, tuple(kind.strip() for kind in (kinds or "").split(",") if kind.strip()))
        for code, kinds in rows
    )
    return found or None


def catalogue_entries(entries: Catalogue | None) -> list[dict[str, Any]] | None:
    """The catalogue in the engine's shape (`load_indicators`' entries: code and raters)."""
    if entries is None:
        return None
    return [{"code": code, "raters": list(kinds)} for code, kinds in entries]


def engine_ruleset(session: Session, version: RuleSetVersion) -> Any:
    """The loaded engine ruleset of a stored version, with the database's catalogue."""
    entries = catalogue(session)
    key = (version.checksum, entries)
    with _lock:
        ruleset = _loaded.get(key)
        if ruleset is None:
            try:
                ruleset = load_ruleset(version.yaml_text, indicators=catalogue_entries(entries))
            except RulesetError as exc:
                # a published text checked against an older catalogue: say what to mend
                first = exc.issues[0]
                raise Conflict(
                    f"Aturan '{version.name}' tidak sesuai dengan katalog indikator saat ini "
                    f"(baris {first.line}: {first.message}) Kembalikan kolom Penilai indikator "
                    "itu atau terbitkan aturan yang sesuai."
                ) from None
            _loaded[key] = ruleset
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
