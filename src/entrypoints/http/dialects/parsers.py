"""How each dialect reads what a request carries (webargs parsers)."""

from __future__ import annotations

import json
import threading
from typing import Any, Final, NoReturn

from flask import Request
from marshmallow import EXCLUDE, Schema
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.exceptions import UnsupportedMediaType

#: webargs' own answer to a body that is not JSON; ours for the bodies it lets through.
INVALID_JSON: Final = {"json": ["Invalid JSON body."]}
NOT_JSON: Final = "The body must be JSON, sent with Content-Type: application/json."
#: How many query strings a parser remembers the arguments of (a kilobyte or so each).
QUERIES_KEPT: Final = 1024
_NOT_GIVEN: Final = object()


class RemembersQueries(FlaskParser):
    """A parser that remembers what each query string parsed to, per schema.

    Parsing a query is a function of the schema and the string alone: the same list asked
    for again (a client polling its tasks) parses to the same arguments, and parsing a page
    of tasks' query cost 35 µs of webargs and marshmallow. What a query string gave is kept
    (the last QUERIES_KEPT of them) and each request gets its own copy of the arguments,
    whose values are immutable (a PageRequest, a TaskFilter, enums, strings). A query that
    is refused is never kept: it is parsed, and refused, every time. Bodies and headers are
    always parsed."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._parsed: dict[tuple[Any, ...], dict[str, Any]] = {}
        self._keeping = threading.Lock()

    def parse(self, argmap: Any, req: Request | None = None, **options: Any) -> Any:
        plain_query = options.get("location") == "query" and options.get("validate") is None
        if not plain_query or not isinstance(argmap, Schema):
            return super().parse(argmap, req, **options)
        request = req if req is not None else self.get_default_request()
        key = (argmap, options.get("unknown", _NOT_GIVEN), request.query_string)
        kept = self._parsed.get(key)
        if kept is None:
            parsed = super().parse(argmap, request, **options)
            if not isinstance(parsed, dict):
                return parsed
            with self._keeping:
                if len(self._parsed) >= QUERIES_KEPT:
                    del self._parsed[next(iter(self._parsed))]  # the oldest
                self._parsed[key] = kept = parsed
        return dict(kept)


class StrictParser(RemembersQueries):
    """JSON bodies only; every location as strict as its schema (with ``unknown=None``
    every location uses the schema's own setting, which in marshmallow 4 is RAISE: an
    unknown query parameter is a 422, not ignored).

    Some malformed bodies make the json module raise something webargs does not expect:
    deep nesting (``[[[[...]]]]``) exhausts the recursion limit, and an integer of more digits
    than Python converts (4,300 by default) is a plain ValueError. Each is a malformed body
    like any other, a 400, never a 500."""

    def __init__(self) -> None:
        super().__init__(unknown=None)

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


class LenientParser(RemembersQueries):
    """The original's way: JSON, form-urlencoded and multipart bodies alike (read with
    location ``json_or_form``), unknown fields and parameters ignored, and a body that does
    not parse worded as DRF worded it."""

    def __init__(self) -> None:
        super().__init__(unknown=EXCLUDE)

    def _raw_load_json(self, req: Request) -> Any:
        try:
            return super()._raw_load_json(req)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise
        except (RecursionError, ValueError) as error:
            self._handle_invalid_json_error(error, req)

    def _handle_invalid_json_error(
        self, error: Exception, req: Request, *_: Any, **__: Any
    ) -> NoReturn:
        abort(400, exc=error, messages={"json": [f"JSON parse error - {error}"]})


def _has_body(req: Request) -> bool:
    return bool(req.content_length) or "chunked" in req.headers.get("Transfer-Encoding", "")
