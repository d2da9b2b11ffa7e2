"""Argument schemas given as classes are made once, when the operation is declared, not once
per request: each request then only loads with the same schema."""

from __future__ import annotations

from typing import Any

from flask import Flask
from marshmallow import Schema, fields

from entrypoints.http.api import Api, Blueprint
from entrypoints.http.dialects.strict import STRICT

made: list[Schema] = []


class CountedQuery(Schema):
    size = fields.Integer(load_default=1)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        made.append(self)


def test_a_schema_class_is_made_once_and_loads_every_request() -> None:
    app = Flask(__name__)
    app.config.update(API_TITLE="t", API_VERSION="1", OPENAPI_VERSION="3.0.3")
    api = Api(app, STRICT)
    blp = Blueprint("Counted", __name__, dialect=STRICT, url_prefix="/counted")

    @blp.route("")
    @blp.arguments(CountedQuery, location="query")
    def counted(query: dict[str, Any]) -> dict[str, Any]:
        return query

    api.register_blueprint(blp)
    made_when_declared = len(made)
    client = app.test_client()

    answers = [client.get(f"/counted?size={size}").get_json() for size in (2, 3, 4)]

    assert answers == [{"size": 2}, {"size": 3}, {"size": 4}]
    assert made_when_declared >= 1
    assert len(made) == made_when_declared
