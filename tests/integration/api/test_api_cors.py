"""CORS: pages of the configured origins may call the API, on every prefix; no other page may,
and none may when nothing is configured."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from dependency_injector import providers
from flask.testing import FlaskClient
from sqlalchemy import Engine

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.http.cors import PREFLIGHT_MAX_AGE_SECONDS
from integration.api.fixtures import settings_for, signer

ALLOWED = "http://localhost:8080"
OTHER = "https://evil.example"


@pytest.fixture
def cors_client(database_url: str, engine: Engine, redis_url: str) -> Iterator[FlaskClient]:
    settings = dataclasses.replace(
        settings_for(database_url, redis_url), cors_origins=(ALLOWED, "https://app.example.com")
    )
    container = build_container(settings)
    container.engine.override(providers.Object(engine))
    app = create_app(container)
    app.testing = True
    yield app.test_client()
    container.unwire()
    container.redis().close()


def preflight(client: FlaskClient, path: str, origin: str, method: str = "PATCH"):  # type: ignore[no-untyped-def]
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "Authorization, Content-Type, If-Match",
        },
    )


@pytest.mark.parametrize("prefix", ["", "/v1", "/v2"])
def test_a_preflight_from_an_allowed_origin_is_answered_on_every_prefix(
    cors_client: FlaskClient, prefix: str
) -> None:
    response = preflight(
        cors_client, f"{prefix}/tasks/00000000-0000-0000-0000-000000000001", ALLOWED
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "PATCH" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "content-type", "if-match"} <= {h.strip() for h in allowed.split(",")}
    assert response.headers["Access-Control-Max-Age"] == str(PREFLIGHT_MAX_AGE_SECONDS)


def test_an_answer_to_an_allowed_origin_names_it_and_exposes_the_safe_write_headers(
    cors_client: FlaskClient,
) -> None:
    alice = signer(cors_client)("Alice")
    task = alice.create_task()
    response = cors_client.get(
        f"/tasks/{task['external_id']}",
        headers={"Authorization": f"Bearer {alice.access}", "Origin": ALLOWED},
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    exposed = {
        h.strip().lower() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }
    assert {"etag", "ratelimit", "retry-after", "link"} <= exposed
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_a_refusal_to_an_allowed_origin_is_readable_too(cors_client: FlaskClient) -> None:
    response = cors_client.get("/tasks", headers={"Origin": ALLOWED})
    assert response.status_code == 401
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED


def test_another_origin_gets_no_cors_header(cors_client: FlaskClient) -> None:
    answers = [
        preflight(cors_client, "/tasks", OTHER),
        cors_client.get("/tasks", headers={"Origin": OTHER}),
    ]
    for response in answers:
        assert "Access-Control-Allow-Origin" not in response.headers


def test_no_origin_is_allowed_when_none_is_configured(client: FlaskClient) -> None:
    response = preflight(client, "/tasks", ALLOWED)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert (
        "Access-Control-Allow-Origin"
        not in client.get("/tasks", headers={"Origin": ALLOWED}).headers
    )
