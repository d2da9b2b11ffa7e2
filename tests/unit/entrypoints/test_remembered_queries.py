"""A query string is parsed once per schema: asked again, it gives the same arguments, each
request its own copy; a refused query is refused every time, and bodies are always read."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from marshmallow import Schema, ValidationError, fields, post_load, validates_schema
from werkzeug.exceptions import HTTPException

from entrypoints.http.dialects import parsers
from entrypoints.http.dialects.parsers import LenientParser, RemembersQueries, StrictParser

app = Flask(__name__)


class Counted(Schema):
    size = fields.Integer(load_default=1)
    word = fields.String()

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.loads = 0

    @post_load
    def counted(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        self.loads += 1
        return data

    @validates_schema
    def no_shouting(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("word", "").isupper():
            raise ValidationError("Too loud.", "word")


def parse(
    parser: RemembersQueries, schema: Schema, path: str, location: str = "query", **request: Any
) -> Any:
    with app.test_request_context(path, **request):
        return parser.parse(schema, location=location)


@pytest.mark.parametrize("parser", [StrictParser(), LenientParser()], ids=["strict", "lenient"])
def test_a_query_string_asked_again_is_not_parsed_again(parser: RemembersQueries) -> None:
    schema = Counted()
    first = parse(parser, schema, "/?size=3&word=hi")
    again = parse(parser, schema, "/?size=3&word=hi")
    assert first == again == {"size": 3, "word": "hi"}
    assert schema.loads == 1
    first["size"] = 99  # each request has arguments of its own
    assert parse(parser, schema, "/?size=3&word=hi") == {"size": 3, "word": "hi"}


def test_another_query_string_or_another_schema_is_parsed_anew() -> None:
    parser, schema, other = StrictParser(), Counted(), Counted()
    assert parse(parser, schema, "/?size=3") == {"size": 3}
    assert parse(parser, schema, "/?size=4") == {"size": 4}
    assert parse(parser, other, "/?size=3") == {"size": 3}
    assert (schema.loads, other.loads) == (2, 1)


def test_a_refused_query_is_refused_every_time() -> None:
    parser, schema = StrictParser(), Counted()
    for _ in range(2):
        with pytest.raises(HTTPException) as refused:
            parse(parser, schema, "/?word=HI")
        assert refused.value.code == 422
    assert parse(parser, schema, "/?word=hi") == {"size": 1, "word": "hi"}


def test_bodies_are_read_every_time() -> None:
    parser, schema = StrictParser(), Counted()
    for _ in range(2):
        assert parse(parser, schema, "/", location="json", json={"size": 5}) == {"size": 5}
    assert schema.loads == 2


def test_only_the_latest_query_strings_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parsers, "QUERIES_KEPT", 3)
    parser, schema = StrictParser(), Counted()
    for size in range(1, 6):
        parse(parser, schema, f"/?size={size}")
    assert schema.loads == 5
    parse(parser, schema, "/?size=5")  # among the latest three: kept
    assert schema.loads == 5
    parse(parser, schema, "/?size=1")  # the oldest, let go
    assert schema.loads == 6
