"""Links the templates build.

Addresses that leave the app (printed QR codes, links on the public page) start with the
configured KINERJA_PUBLIC_URL, never with the request's Host header: a client chooses that
header freely, and a poisoned link or QR code would send citizens elsewhere.

The `istilah` filter links the regulation's terms in a text to the glossary, so help panels and
rule pages link a term wherever it appears without anyone writing the links by hand."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, current_app, request, url_for
from markupsafe import Markup, escape

from app.domain.glossary import mentions


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


_TAG = re.compile(r"(<[^>]*>)")


def glossary_links(text: Any) -> Markup:
    """The text with the first mention of each glossary term linked to its entry
    (`/glosarium/#<key>`). Plain text is escaped first; markup (a translated string, a macro's
    output) keeps its tags, and nothing inside an existing link is linked again."""
    html = str(text if isinstance(text, Markup) else escape("" if text is None else text))
    base = url_for("GlossaryView.index")
    seen: set[str] = set()
    out: list[str] = []
    in_link = 0
    for part in _TAG.split(html):
        if part.startswith("<"):
            tag = part[1:].lstrip("/").split(None, 1)[0].lower() if len(part) > 2 else ""
            if tag.rstrip(">") == "a":
                in_link += -1 if part.startswith("</") else 1
            out.append(part)
            continue
        if in_link:
            out.append(part)
            continue
        cursor = 0
        for start, end, key in mentions(part, seen):
            out.append(part[cursor:start])
            out.append(f'<a href="{base}#{key}" class="istilah">{part[start:end]}</a>')
            cursor = end
        out.append(part[cursor:])
    return Markup("".join(out))


def register_links(app: Flask) -> None:
    """Templates call `public_url_for(...)` like `url_for(...)`, and write `text | istilah` to
    link the glossary's terms in a text."""
    app.jinja_env.globals["public_url_for"] = public_url_for
    app.jinja_env.filters["istilah"] = glossary_links
