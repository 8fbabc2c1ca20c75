"""Where a form may send the browser afterwards: a path of this site, nothing else."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit


def same_site_path(target: str | None) -> str | None:
    """`target` when it is a path on this site, else None.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so
    `/\\t/evil.example` or `/\\\\evil.example` would lead to another site: any control or
    whitespace character refuses the target, as does anything with a scheme or a host.
    """
    if not target or len(target) > 2000:
        return None
    if any(unicodedata.category(c)[0] in ("C", "Z") for c in target) or "\\" in target:
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
