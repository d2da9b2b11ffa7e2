"""The API's two dialects, chosen by path prefix, and the one handler of every refusal.

``/v1/...`` speaks the original's dialect, so that its clients work unchanged; ``/v2/...``
and the unprefixed paths speak the strict one. Both are renderings of the same use cases.
"""

from __future__ import annotations

from typing import Final, cast

from flask import Response, current_app, request

from entrypoints.http.dialects.base import Dialect
from entrypoints.http.dialects.original import ORIGINAL
from entrypoints.http.dialects.strict import STRICT
from entrypoints.http.errors import reply_for

#: Every dialect, the one without a prefix last (it speaks for every other path).
DIALECTS: Final = (ORIGINAL, STRICT)


def dialect_for(path: str) -> Dialect:
    return next(dialect for dialect in DIALECTS if dialect.speaks(path))


def answer(error: Exception) -> Response:
    """The answer to any refusal, in the dialect of the path it was made on."""
    reply = reply_for(error)
    dialect = dialect_for(request.path)
    status, body = dialect.render(reply, request)
    response = cast(Response, current_app.json.response(body))  # as jsonify writes it
    response.status_code = status
    response.headers.update(reply.headers)
    response.mimetype = dialect.error_media_type
    return response


__all__ = ["DIALECTS", "ORIGINAL", "STRICT", "Dialect", "answer", "dialect_for"]
