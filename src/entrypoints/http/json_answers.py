"""How answers become JSON: orjson writes them, the standard library still reads requests.

Writing a page of thirty tasks with the standard ``json`` module takes about ten times as
long as with orjson, whose output is the same JSON (UTF-8 rather than ``\\u`` escapes, which
every JSON reader reads alike). Requests stay with the standard reader on purpose: it is the
one whose limits the API's error handling knows (an integer of more than 4,300 digits is a
``ValueError`` that becomes a 400).

What orjson refuses to write (an integer beyond 64 bits, a lone surrogate, nesting past 254
levels: a client's own input, echoed back) the standard module writes, as it always did.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import Flask, Response
from flask.json.provider import DefaultJSONProvider

#: Keys that are not strings (marshmallow's errors key list items by their index) are
#: written as strings, as the standard module writes them; times and dataclasses go through
#: Flask's own conversions, as they did before (orjson would write them its own way).
_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


class OrjsonAnswers(DefaultJSONProvider):
    """Flask's JSON provider, answering through orjson; what orjson cannot write (none of
    the API's own answers) goes through Flask's default conversions first."""

    sort_keys = False  # keys in the order the schemas give them, as orjson writes them

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return self._written(obj).decode()

    def response(self, *args: Any, **kwargs: Any) -> Response:
        obj = self._prepare_response_obj(args, kwargs)
        # A closing newline, as Flask's own provider writes: a terminal's prompt stays apart.
        return Response(self._written(obj) + b"\n", mimetype=self.mimetype)

    def _written(self, obj: Any) -> bytes:
        try:
            return orjson.dumps(obj, default=self.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().dumps(obj).encode()


def answer_with_orjson(app: Flask) -> None:
    app.json = OrjsonAnswers(app)
