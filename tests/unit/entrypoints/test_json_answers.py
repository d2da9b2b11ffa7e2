"""Answers are written by orjson, as the standard module would have written them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from flask import Flask
from flask.json.provider import DefaultJSONProvider

from entrypoints.http.json_answers import OrjsonAnswers, answer_with_orjson


@dataclass
class Point:
    x: int


ANSWERS = [
    {"name": "Zoë — 任务", "count": 3, "ratio": 37.71, "none": None, "ok": True},
    {0: ["This field is required."], "email": {"1": ["Not a valid email."]}},
    {"at": datetime(2026, 12, 2, 2, 35, 50, tzinfo=UTC), "id": UUID(int=5)},
    {"amount": Decimal("1.50"), "point": Point(2)},
    [1, "two", [3.0]],
]


@pytest.fixture
def app() -> Flask:
    app = Flask(__name__)
    answer_with_orjson(app)
    return app


@pytest.mark.parametrize("answer", ANSWERS)
def test_an_answer_reads_back_as_the_standard_module_wrote_it(app: Flask, answer: object) -> None:
    assert isinstance(app.json, OrjsonAnswers)
    standard = DefaultJSONProvider(app)
    standard.sort_keys = False  # as the app had it: keys in their order
    assert json.loads(app.json.dumps(answer)) == json.loads(standard.dumps(answer))
    with app.app_context():
        response = app.json.response(answer)
    assert response.mimetype == "application/json"
    assert json.loads(response.get_data()) == json.loads(standard.dumps(answer))


def test_text_is_written_as_utf_8_and_keys_keep_their_order(app: Flask) -> None:
    written = app.json.dumps({"z": "Zoë", "a": 1})
    assert written == '{"z":"Zoë","a":1}'


BEYOND_ORJSON = [
    {"name": 2**70},
    {"name": "\ud800 alone"},
    {"deep": json.loads("[" * 300 + "]" * 300)},
]


@pytest.mark.parametrize("answer", BEYOND_ORJSON, ids=["huge-integer", "surrogate", "deep"])
def test_what_orjson_refuses_the_standard_module_writes(app: Flask, answer: object) -> None:
    with app.app_context():
        response = app.json.response(answer)
    assert json.loads(response.get_data()) == answer
    assert json.loads(app.json.dumps(answer)) == answer


def test_an_answer_ends_with_a_newline_as_flask_writes_it(app: Flask) -> None:
    with app.app_context():
        assert app.json.response({"a": 1}).get_data() == b'{"a":1}\n'
