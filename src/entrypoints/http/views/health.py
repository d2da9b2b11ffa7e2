# mypy: allow-untyped-decorators
"""Liveness and readiness in one: does the service reach PostgreSQL and Redis?"""

from __future__ import annotations

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from redis import Redis
from sqlalchemy import Engine

from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.probes import database_answers, redis_answers

blp = Blueprint("Health", __name__, url_prefix="/healthz", description="Is the service up?")

_STATE = validate.OneOf(["ok", "down"])


class HealthSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["ok", "unavailable"]))
    database = fields.String(required=True, validate=_STATE)
    redis = fields.String(required=True, validate=_STATE)


@blp.route("")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, schema=HealthSchema, description="Something is down; it is named.")
    @inject
    def get(
        self,
        engine: Engine = Provide[Container.engine],
        redis: Redis[bytes] = Provide[Container.redis],
    ) -> tuple[dict[str, str], int]:
        """200 when PostgreSQL and Redis both answer, else 503 naming what is down."""
        checks = {"database": database_answers(engine), "redis": redis_answers(redis)}
        report = {name: "ok" if up else "down" for name, up in checks.items()}
        healthy = all(checks.values())
        return {"status": "ok" if healthy else "unavailable", **report}, 200 if healthy else 503
