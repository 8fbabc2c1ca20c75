"""Addresses that leave the app (printed QR codes, links on the public page) start with the
configured KINERJA_PUBLIC_URL, never with the request's Host header: a client chooses that
header freely, and a poisoned link or QR code would send citizens elsewhere."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, url_for


def public_url_for(endpoint: str, **values: Any) -> str:
    """The absolute public address of `endpoint`.

    KINERJA_PUBLIC_URL includes any path prefix the proxy mounts the app under, so the request's
    own prefix (script_root) is taken off the local path first.
    """
    path = url_for(endpoint, **values)
    root = request.script_root
    if root and path.startswith(root):
        path = path[len(root) :]
    return current_app.config["KINERJA_PUBLIC_URL"] + path


def register_links(app: Flask) -> None:
    """Templates call `public_url_for(...)` like `url_for(...)`."""
    app.jinja_env.globals["public_url_for"] = public_url_for
