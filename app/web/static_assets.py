"""Static assets addressed by their content, so a browser keeps them instead of asking again.

A panel page loads about 23 assets (FAB's CSS and scripts, ours, the fonts). Sent with
`Cache-Control: no-cache`, every page view asked for each again (23 conditional requests to
the application server per click, each answered 304). Every `url_for` of a static file now
carries `?v=` and the first 12 hex digits of the file's SHA-256, and an answer to such an
address may be kept for a year: a changed file gets a new address, so a deploy never serves
yesterday's script. Assets named without the version (fonts and images that FAB's CSS names
by relative path) are kept for an hour.

The digest is computed on first use and kept per file, size and modification time, so an edited
file in development gets a new address at once. Written here rather than taken from
Flask-Static-Digest because that one needs a build step writing fingerprinted copies, and FAB's
templates name their files through `url_for`, which this hooks into directly.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

VERSIONED = "public, max-age=31536000, immutable"
UNVERSIONED = "public, max-age=3600"

_digests: dict[tuple[str, int, int], str] = {}


def is_static(endpoint: str | None) -> bool:
    """Ours (`static`), FAB's and any other blueprint's (`<name>.static`)."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def _digest(path: str) -> str | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None  # the address answers 404 anyway
    key = (path, stat.st_size, stat.st_mtime_ns)
    digest = _digests.get(key)
    if digest is None:
        with open(path, "rb") as handle:
            digest = _digests[key] = hashlib.sha256(handle.read()).hexdigest()[:12]
    return digest


def _folder(app: Flask, endpoint: str) -> str | None:
    if endpoint == "static":
        return app.static_folder
    blueprint = app.blueprints.get(endpoint.rsplit(".", 1)[0])
    return blueprint.static_folder if blueprint is not None else None


def cache_control(args: Mapping[str, str]) -> str:
    """How long a browser may keep a static asset asked for with these query arguments
    (app/web/headers.py writes it)."""
    return VERSIONED if "v" in args else UNVERSIONED


def register_static_assets(app: Flask) -> None:
    """Version every static address `url_for` builds."""

    @app.url_defaults
    def _version(endpoint: str, values: dict[str, Any]) -> None:
        if not is_static(endpoint) or "v" in values or "filename" not in values:
            return
        folder = _folder(app, endpoint)
        if folder is None:
            return
        digest = _digest(os.path.join(folder, values["filename"]))
        if digest is not None:
            values["v"] = digest
