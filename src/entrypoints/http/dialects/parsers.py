"""How each dialect reads what a request carries (webargs parsers)."""

from __future__ import annotations

import json
from typing import Any, Final, NoReturn

from flask import Request
from marshmallow import EXCLUDE
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.exceptions import UnsupportedMediaType

#: webargs' own answer to a body that is not JSON; ours for the bodies it lets through.
INVALID_JSON: Final = {"json": ["Invalid JSON body."]}
NOT_JSON: Final = "The body must be JSON, sent with Content-Type: application/json."


class StrictParser(FlaskParser):
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


class LenientParser(FlaskParser):
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
