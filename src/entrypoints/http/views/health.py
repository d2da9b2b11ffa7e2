# mypy: allow-untyped-decorators
"""The probes: liveness for the orchestrator, readiness for the load balancer, and a health
report for people. None needs a token.

Readiness depends on PostgreSQL only: without Redis the API still reads and writes (only the
sweeps pause), so a load balancer must keep sending it traffic. The health report is stricter
and names every part, the worker and the scheduler included (from their heartbeats in Redis).
"""

from __future__ import annotations

from functools import cache

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from redis import Redis
from sqlalchemy import Engine

from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.dialects.base import Dialect
from entrypoints.http.probes import (
    DOWN,
    MISSING,
    OK,
    UNKNOWN,
    database_answers,
    heartbeat_states,
    redis_answers,
)

_SERVICE = validate.OneOf([OK, DOWN])
_HEARTBEAT = validate.OneOf([OK, MISSING, UNKNOWN])
READY, UNREADY = "ready", "unready"
HEALTHY, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"


class LiveSchema(Schema):
    status = fields.String(required=True, validate=validate.Equal(OK))


class ReadySchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf([READY, UNREADY]))
    database = fields.String(required=True, validate=_SERVICE)
    redis = fields.String(required=True, validate=_SERVICE)


class HealthSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf([HEALTHY, DEGRADED, UNAVAILABLE]))
    database = fields.String(required=True, validate=_SERVICE)
    redis = fields.String(required=True, validate=_SERVICE)
    worker = fields.String(required=True, validate=_HEARTBEAT)
    scheduler = fields.String(required=True, validate=_HEARTBEAT)


def _state(up: bool) -> str:
    return OK if up else DOWN


@inject
def _probe(
    heartbeats: bool,
    engine: Engine = Provide[Container.engine],
    redis: Redis[bytes] = Provide[Container.redis],
) -> tuple[bool, bool, dict[str, str]]:
    """Whether PostgreSQL and Redis answer, and the heartbeats' states if asked for."""
    database, redis_up = database_answers(engine), redis_answers(redis)
    return database, redis_up, heartbeat_states(redis, redis_up) if heartbeats else {}


@cache
def blueprint(dialect: Dialect) -> Blueprint:
    blp = Blueprint(
        "Health", __name__, dialect=dialect, description="Is the service up? (no token needed)"
    )

    @blp.route("/livez")
    class Live(MethodView):
        @blp.response(200, LiveSchema)
        def get(self) -> dict[str, str]:
            """200 whenever the process answers: nothing else is checked (restart it if not)."""
            return {"status": OK}

    @blp.route("/readyz")
    class Ready(MethodView):
        @blp.response(200, ReadySchema)
        @blp.alt_response(503, schema=ReadySchema, description="PostgreSQL does not answer.")
        def get(self) -> tuple[dict[str, str], int]:
            """200 while PostgreSQL answers, else 503. Redis is reported but never makes the API
            unready: without it only the expiry sweeps wait."""
            database, redis_up, _ = _probe(heartbeats=False)
            body = {
                "status": READY if database else UNREADY,
                "database": _state(database),
                "redis": _state(redis_up),
            }
            return body, 200 if database else 503

    @blp.route("/healthz")
    class Health(MethodView):
        @blp.response(200, HealthSchema)
        @blp.alt_response(503, schema=HealthSchema, description="A service is down; it is named.")
        def get(self) -> tuple[dict[str, str], int]:
            """Every part by name. 503 when PostgreSQL or Redis does not answer; 200 otherwise,
            `degraded` when no worker or no scheduler has beaten lately (tasks would not expire)."""
            database, redis_up, beats = _probe(heartbeats=True)
            services_up = database and redis_up
            if not services_up:
                status = UNAVAILABLE
            else:
                status = HEALTHY if all(state == OK for state in beats.values()) else DEGRADED
            body = {
                "status": status,
                "database": _state(database),
                "redis": _state(redis_up),
                **beats,
            }
            return body, 200 if services_up else 503

    return blp
