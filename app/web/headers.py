"""Security headers on every response, and no caching of anything personal.

Flask-Talisman writes the Content-Security-Policy (with a per-request nonce that FAB's own
templates already put on their inline scripts through `csp_nonce()`), X-Frame-Options,
X-Content-Type-Options, Referrer-Policy, Permissions-Policy and, over HTTPS, HSTS. Our own
templates carry no inline script at all: their code lives in app/static/js/.

Cache-Control is ours: Talisman does not set it. Every answer except static assets (they hold
no person; app/web/static_assets.py) and the views that declare themselves public (the QR
images) is `no-store`, so a shared computer's browser cache or a proxy never keeps a page or an
API answer with someone's ratings.
"""

from __future__ import annotations

from flask import Flask, request
from flask_talisman import Talisman
from werkzeug.wrappers import Response

from app.web.static_assets import cache_control, is_static

# 'unsafe-inline' for styles only: FAB's templates carry style attributes; a style cannot run
# code. Scripts: our own origin, plus the per-request nonce Talisman appends.
CONTENT_SECURITY_POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

REFERRER_POLICY = "strict-origin-when-cross-origin"


def _cache_policy(response: Response) -> Response:
    if is_static(request.endpoint):
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = cache_control(request.args)
        return response
    if response.cache_control.public:
        return response
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"  # HTTP/1.0 caches and proxies
    return response


def register_headers(app: Flask) -> None:
    """Install the headers. Cookie flags stay with config/ (Talisman would override them).

    One Talisman per app: it keeps the app it serves, and tests build many apps.
    """
    Talisman(
        app,
        force_https=False,  # TLS ends at the reverse proxy; HSTS is sent whenever it is used
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        content_security_policy_nonce_in=["script-src"],
        referrer_policy=REFERRER_POLICY,
        session_cookie_secure=False,  # leaves app.config["SESSION_COOKIE_SECURE"] as configured
        session_cookie_http_only=app.config.get("SESSION_COOKIE_HTTPONLY", True),
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
    )
    app.after_request(_cache_policy)
