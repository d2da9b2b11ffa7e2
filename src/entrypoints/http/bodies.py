"""Streamed request bodies get a length, so that one size check covers every body."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

from werkzeug.wsgi import get_content_length

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class SizedBodies:
    """WSGI middleware reading a streamed body (``Transfer-Encoding: chunked``, which the
    server has already decoded) into memory, at most one byte past ``limit``, and handing it
    on with its ``Content-Length``.

    werkzeug stops reading a stream at the limit and lets the app parse what it got: a
    chunked body over the limit reached the JSON parser cut short, a 400. With a length, the
    app's one up-front check answers it as it answers every body too large: 413."""

    def __init__(self, app: WSGIApplication, limit: int) -> None:
        self._app = app
        self._limit = limit

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        # Without wsgi.input_terminated the server has not said where the body ends, and
        # werkzeug reads none of it: nothing to measure.
        if get_content_length(environ) is None and environ.get("wsgi.input_terminated"):
            body = _read_at_most(environ["wsgi.input"], self._limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self._app(environ, start_response)


def _read_at_most(stream: io.BufferedIOBase, size: int) -> bytes:
    chunks, left = [], size
    while left > 0 and (chunk := stream.read(left)):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)
