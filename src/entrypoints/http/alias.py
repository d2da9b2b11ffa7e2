"""``/v2/...`` is ``/...``: the strict dialect, under its version prefix or none."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

VERSION_PREFIX: Final = "/v2"


class VersionAlias:
    """WSGI middleware moving a leading ``/v2`` from the path to the script name, so that
    routing sees ``/tasks`` and generated URLs keep the prefix the client used. One rule for
    every route, present and future, and one set of routes in the OpenAPI document."""

    def __init__(self, app: WSGIApplication, prefix: str = VERSION_PREFIX) -> None:
        self._app = app
        self._prefix = prefix

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        if path == self._prefix or path.startswith(self._prefix + "/"):
            environ["PATH_INFO"] = path[len(self._prefix) :] or "/"
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self._prefix
        return self._app(environ, start_response)
