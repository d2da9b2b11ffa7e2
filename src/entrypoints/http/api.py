# mypy: allow-subclassing-any
"""flask-smorest, adapted: one JSON error body for everything, strict query strings."""

from __future__ import annotations

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, Final, TypeVar

import flask_smorest
from flask import Request
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.exceptions import UnsupportedMediaType

from entrypoints.http.errors import HANDLED, reply_for
from entrypoints.http.schemas.common import ErrorSchema

F = TypeVar("F", bound=Callable[..., Any])

#: The name of the security scheme protected operations refer to.
BEARER = "bearerAuth"


#: webargs' own answer to a body that is not JSON; ours for the bodies it lets through.
INVALID_JSON: Final = {"json": ["Invalid JSON body."]}
NOT_JSON: Final = "The body must be JSON, sent with Content-Type: application/json."


class _Parser(FlaskParser):
    """Some malformed bodies make the json module raise something webargs does not expect:
    deep nesting (``[[[[...]]]]``) exhausts the recursion limit, and an integer of more digits
    than Python converts (4,300 by default) is a plain ValueError. Each is a malformed body
    like any other, a 400, never a 500."""

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req) and _has_body(req):
            # webargs would read the body as no body at all: a form saying status=completed
            # would be a 200 that changed nothing.
            raise UnsupportedMediaType(NOT_JSON)
        try:
            return super()._raw_load_json(req)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise  # webargs answers these itself (and an empty body is no body)
        except (RecursionError, ValueError) as error:
            abort(400, exc=error, messages=INVALID_JSON)


def _has_body(req: Request) -> bool:
    return bool(req.content_length) or "chunked" in req.headers.get("Transfer-Encoding", "")


class Blueprint(flask_smorest.Blueprint):
    """Query strings are checked like bodies: an unknown parameter is a 422, not ignored.

    (webargs excludes unknown query parameters by default; with ``unknown=None`` every
    location uses the schema's own setting, which in marshmallow 4 is RAISE.)"""

    ARGUMENTS_PARSER = _Parser(unknown=None)

    def arguments(self, schema: Any, *, location: str = "json", **kwargs: Any) -> Any:
        """Operations with a JSON body also document the 415 a body of another type gets."""
        parse = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return parse
        return lambda func: self.errors(415)(parse(func))

    def errors(self, *codes: int) -> Callable[[F], F]:
        """Document the error answers an operation can give, all with the error body."""

        def decorator(func: F) -> F:
            for code in codes:
                func = self.alt_response(code, response=HTTPStatus(code).name)(func)
            return func

        return decorator


class Api(flask_smorest.Api):
    """Routes HTTP errors, domain and application refusals, and an unreachable database
    through :func:`entrypoints.http.errors.reply_for`; everything else Flask turns into a
    500 that lands there too."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        for kind in HANDLED:
            self._app.register_error_handler(kind, self.handle_http_exception)

    def handle_http_exception(self, error: Exception) -> tuple[dict[str, Any], int, dict[str, str]]:
        reply = reply_for(error)
        return reply.body(), reply.code, dict(reply.headers)
