"""The probes: /livez (the process answers), /readyz (PostgreSQL answers; Redis does not
matter), /healthz (every part by name, the worker's and the scheduler's heartbeats included)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from dependency_injector import providers
from flask.testing import FlaskClient
from redis import Redis
from sqlalchemy import Engine

from adapters.sqlalchemy.engine import make_engine
from entrypoints.container import build_container
from entrypoints.heartbeat import Heartbeat
from entrypoints.http.app import create_app
from integration.api.fixtures import settings_for

UNREACHABLE_DATABASE = "postgresql://root@127.0.0.1:1/nowhere"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
PROBES = ("/livez", "/readyz", "/healthz")

Over = Callable[..., FlaskClient]


@pytest.fixture
def app_over(database_url: str, engine: Engine, redis_url: str) -> Iterator[Over]:
    """``app_over(database=..., redis=...)``: a client of an app on those (the test's own by
    default), unwired at the end."""
    made = []

    def over(database: str | None = None, redis: str = redis_url) -> FlaskClient:
        container = build_container(settings_for(database_url, redis))
        container.engine.override(providers.Object(make_engine(database) if database else engine))
        made.append(container)
        app = create_app(container)
        app.testing = False  # as in production: a dependency's error is handled, not raised
        return app.test_client()

    yield over
    for container in made:
        container.unwire()
        container.redis().close()


@pytest.fixture
def beating(redis_url: str) -> Iterator[Callable[[str], Heartbeat]]:
    """Heartbeats written as the worker and the scheduler write theirs; removed at the end."""
    connection: Redis[bytes] = Redis.from_url(redis_url)
    beats: list[Heartbeat] = []

    def beat(role: str) -> Heartbeat:
        heartbeat = Heartbeat(connection, role)  # type: ignore[arg-type]
        heartbeat.beat()
        beats.append(heartbeat)
        return heartbeat

    yield beat
    for heartbeat in beats:
        heartbeat.stop()
    connection.close()


def test_livez_answers_without_looking_at_anything(app_over: Over) -> None:
    client = app_over(database=UNREACHABLE_DATABASE, redis=UNREACHABLE_REDIS)
    response = client.get("/livez")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_is_ready_when_the_database_answers(app_over: Over) -> None:
    response = app_over().get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "redis": "ok"}


def test_readyz_stays_ready_with_redis_down_and_says_so(app_over: Over) -> None:
    response = app_over(redis=UNREACHABLE_REDIS).get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": "ok", "redis": "down"}


def test_readyz_is_503_with_the_database_down(app_over: Over) -> None:
    response = app_over(database=UNREACHABLE_DATABASE).get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unready", "database": "down", "redis": "ok"}


@pytest.mark.parametrize(
    ("database", "redis", "beating_roles", "code", "report"),
    [
        (None, None, ["worker", "scheduler"], 200,
         {"status": "ok", "database": "ok", "redis": "ok", "worker": "ok", "scheduler": "ok"}),
        (None, None, ["scheduler"], 200,
         {"status": "degraded", "database": "ok", "redis": "ok",
          "worker": "missing", "scheduler": "ok"}),
        (UNREACHABLE_DATABASE, None, ["worker", "scheduler"], 503,
         {"status": "unavailable", "database": "down", "redis": "ok",
          "worker": "ok", "scheduler": "ok"}),
        (None, UNREACHABLE_REDIS, [], 503,
         {"status": "unavailable", "database": "ok", "redis": "down",
          "worker": "unknown", "scheduler": "unknown"}),
    ],
    ids=["all-ok", "no-worker-is-degraded", "database-down", "redis-down-heartbeats-unknown"],
)  # fmt: skip
def test_healthz_names_every_part_and_its_state(
    app_over: Over,
    beating: Callable[[str], Heartbeat],
    database: str | None,
    redis: str | None,
    beating_roles: list[str],
    code: int,
    report: dict[str, str],
) -> None:
    for role in beating_roles:
        beating(role)
    client = app_over(database=database) if redis is None else app_over(database, redis)
    response = client.get("/healthz")
    assert response.status_code == code
    assert response.get_json() == report


def test_a_stopped_heartbeat_is_missing_at_once(
    app_over: Over, beating: Callable[[str], Heartbeat]
) -> None:
    beating("worker").stop()
    beating("scheduler")
    assert app_over().get("/healthz").get_json()["worker"] == "missing"


@pytest.mark.parametrize("path", PROBES)
def test_the_probes_need_no_token_and_are_in_the_openapi_document(
    app_over: Over, path: str
) -> None:
    client = app_over()
    assert client.get(path).status_code in (200, 503)
    operation = client.get("/openapi.json").get_json()["paths"][path]["get"]
    assert "security" not in operation
    assert "200" in operation["responses"]
