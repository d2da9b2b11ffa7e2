"""Which browser origins may call the API (``CORS_ORIGINS``), answered by flask-cors.

Every path, on every prefix, is covered: flask-cors answers the preflight (``OPTIONS``) and
adds ``Access-Control-Allow-Origin`` for an allowed origin; a request from any other origin
gets no CORS header, so the browser keeps the answer from its page. No origin is allowed
unless configured. Bearer tokens travel in ``Authorization``, never in cookies, so no
credentials are allowed across origins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from flask import Flask
from flask_cors import CORS

#: The request headers a page may send: the token, the body's type and the safe-write fields.
ALLOWED_HEADERS: Final = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
)
#: The answer headers a page may read besides the always-readable ones.
EXPOSED_HEADERS: Final = (
    "ETag",
    "Location",
    "Link",
    "RateLimit",
    "RateLimit-Policy",
    "Retry-After",
    "WWW-Authenticate",
    "X-Request-ID",
)
#: How long a browser may reuse a preflight's answer.
PREFLIGHT_MAX_AGE_SECONDS: Final = 86400
METHODS: Final = ("GET", "HEAD", "POST", "PATCH", "DELETE", "OPTIONS")


def allow_origins(app: Flask, origins: Sequence[str]) -> None:
    """Answer cross-origin requests from ``origins`` (``*``: any); none when it is empty."""
    if not origins:
        return
    CORS(
        app,
        origins=list(origins),
        methods=list(METHODS),
        allow_headers=list(ALLOWED_HEADERS),
        expose_headers=list(EXPOSED_HEADERS),
        max_age=PREFLIGHT_MAX_AGE_SECONDS,
        supports_credentials=False,
    )
