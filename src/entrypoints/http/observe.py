"""What every HTTP answer goes through: its request id, and its place in the metrics.

The request id is the caller's ``X-Request-ID`` when it is a sane token (so that a proxy's or
a client's id follows the request through our logs), else a new one; it comes back on every
answer, errors included, and is on every log line written while the request is served.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Final

from flask import Flask, Response, g, request

from entrypoints import logs
from entrypoints.http.gunicorn_setup import ROUTE_ENVIRON_KEY
from entrypoints.metrics import HTTP_DURATION, HTTP_REQUESTS

REQUEST_ID_HEADER: Final = "X-Request-ID"
#: Letters, digits, ``.``, ``_`` and ``-``: safe in a header, a log line and a log query.
SANE_REQUEST_ID: Final = re.compile(r"[A-Za-z0-9._-]{1,128}")
#: The route label of a request that matched no route: raw paths would explode the label set.
UNMATCHED_ROUTE: Final = "unmatched"
#: Any other method is labelled OTHER, for the same reason.
KNOWN_METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def request_id_from(offered: str | None) -> str:
    if offered is not None and SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def observe_requests(app: Flask) -> None:
    """Install the hooks; call before any other ``before_request``, whose refusals (413) must
    be answered with an id too."""
    app.before_request(_begin)
    app.after_request(_finish)
    app.teardown_request(_end)


def _begin() -> None:
    g.request_started = time.perf_counter()
    g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
    g.request_log_context = logs.bind(request_id=g.request_id)


def _finish(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = g.request_id
    route = request.url_rule.rule if request.url_rule is not None else UNMATCHED_ROUTE
    request.environ[ROUTE_ENVIRON_KEY] = route
    method = request.method if request.method in KNOWN_METHODS else "OTHER"
    HTTP_REQUESTS.labels(method, route, str(response.status_code)).inc()
    HTTP_DURATION.labels(method, route).observe(time.perf_counter() - g.request_started)
    return response


def _end(error: BaseException | None) -> None:
    token = g.pop("request_log_context", None)
    if token is not None:
        logs.unbind(token)
