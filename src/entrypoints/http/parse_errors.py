"""The answers gunicorn gives itself, to requests it cannot parse: problem details like
every other (in the strict dialect: a request that cannot be parsed has no path to choose by).

gunicorn writes its own HTML page for a request line or headers too long or malformed, before
any app sees the request. The worker class here answers those with the API's problem details; the
table mirrors the status codes gunicorn's ``Worker.handle_error`` picks.
"""

from __future__ import annotations

import json
import ssl
from http import HTTPStatus
from typing import Any, Final

from gunicorn import util
from gunicorn.http import errors as parse
from gunicorn.workers.sync import SyncWorker
from werkzeug.exceptions import InternalServerError

from entrypoints.http.dialects import problems
from entrypoints.http.errors import ErrorReply, Kind, reply_for

#: Parse errors that are not the client's fault: a header the app tried to send, a server
#: misconfigured. (The first two subclass the request-header errors.)
SERVER_FAULTS: Final = (
    parse.InvalidResponseHeader,
    parse.InvalidResponseHeaderName,
    parse.ConfigurationProblem,
)
#: First match wins; every other parse error is a malformed request.
ANSWERS: Final = (
    (parse.LimitRequestLine, 414, "The request line is too long."),
    (parse.LimitRequestHeaders, 431, "The request headers are too many or too large."),
    (parse.UnsupportedTransferCoding, 501, "The transfer coding is not supported."),
    (parse.ExpectationFailed, 417, "The expectation cannot be met."),
    ((parse.ForbiddenProxyRequest, ssl.SSLError), 403, "The request is forbidden."),
    (parse.ParseException, 400, "The request is not valid HTTP."),
)


def reply_to(error: BaseException) -> ErrorReply | None:
    """The answer to a request gunicorn could not parse; None for any other error."""
    if isinstance(error, SERVER_FAULTS):
        return None
    for kinds, code, message in ANSWERS:
        if isinstance(error, kinds):
            return ErrorReply(code, Kind.OTHER, message)
    return None


class JsonErrorWorker(SyncWorker):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's sync worker, answering what it cannot parse with the API's JSON errors."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        reply = reply_to(exc)
        if reply is None:
            self.log.exception("Error handling request", exc_info=exc)
            reply = reply_for(InternalServerError())
        else:
            self.log.warning("Invalid request from %s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, response_bytes(reply))
        except Exception:
            self.log.debug("Failed to send the error answer.")


def response_bytes(reply: ErrorReply) -> bytes:
    _, problem = problems.render(reply, None)
    body = json.dumps(problem).encode()
    head = (
        f"HTTP/1.1 {reply.code} {HTTPStatus(reply.code).phrase}\r\n"
        "Connection: close\r\n"
        f"Content-Type: {problems.MEDIA_TYPE}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body
