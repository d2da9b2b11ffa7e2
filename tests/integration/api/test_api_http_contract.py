"""The HTTP envelope around every endpoint: JSON errors, limits, the /v1 alias, health."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from dependency_injector import providers
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from adapters.sqlalchemy.engine import make_engine
from entrypoints.container import Container, build_container
from entrypoints.http.app import create_app
from integration.api.fixtures import settings_for
from integration.api.support import PASSWORD, Caller, error_of

UNREACHABLE_DATABASE = "postgresql://root@127.0.0.1:1/nowhere"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def test_unknown_routes_are_json_404(client: FlaskClient) -> None:
    for path in ["/nope", "/tasks/", "/v3/tasks", "/v2/nope", "/users/a/b"]:
        error_of(client.get(path), 404)


def test_wrong_methods_are_json_405_with_allow(client: FlaskClient) -> None:
    cases = {
        ("PUT", "/tasks"): {"GET", "POST"},
        ("DELETE", "/auth/login"): {"POST"},
        ("GET", "/tasks/assign_task"): {"POST"},
        ("POST", "/healthz"): {"GET"},
    }
    for (method, path), allowed in cases.items():
        response = client.open(path, method=method)
        error_of(response, 405)
        assert allowed <= {m.strip() for m in response.headers["Allow"].split(",")}


@pytest.mark.parametrize("body", ["{not json", '{"name": "x",}', "", "\xff\xfe"])
def test_malformed_json_is_400(alice: Caller, body: str) -> None:
    response = alice.client.post(
        "/tasks",
        data=body.encode("latin-1"),
        headers=alice.headers,
        content_type="application/json",
    )
    if body == "":
        # An empty body is no object at all: the required name is missing.
        error_of(response, 422)
    else:
        assert error_of(response, 400)["detail"] == "Invalid JSON body."


def test_a_body_that_is_not_json_at_all_is_415_not_read_as_no_fields(alice: Caller) -> None:
    response = alice.client.post(
        "/tasks", data="name=x", headers=alice.headers, content_type="text/plain"
    )
    error_of(response, 415)


def test_oversized_bodies_are_413_on_every_route(app: Flask, client: FlaskClient) -> None:
    size = app.config["MAX_CONTENT_LENGTH"] + 1
    big = b'{"name": "' + b"x" * size + b'"}'
    for path in ["/auth/register", "/auth/login", "/tasks", "/tasks/assign_task"]:
        error_of(client.post(path, data=big, content_type="application/json"), 413)


def test_a_body_just_under_the_limit_is_read(app: Flask, alice: Caller) -> None:
    body = b'{"name": "ok"}'
    padded = body + b" " * (app.config["MAX_CONTENT_LENGTH"] - len(body))
    response = alice.client.post(
        "/tasks", data=padded, headers=alice.headers, content_type="application/json"
    )
    assert response.status_code == 201


def test_the_limit_comes_from_the_settings(database_url: str, redis_url: str) -> None:
    settings = settings_for(database_url, redis_url)
    assert create_app(build_container(settings)).config["MAX_CONTENT_LENGTH"] == (
        settings.max_request_bytes
    )


# -- /v2 ------------------------------------------------------------------------------


def test_v2_is_an_alias_of_every_unprefixed_path(client: FlaskClient, alice: Caller) -> None:
    task = alice.create_task(name="Via root")
    v2 = alice.get(f"/v2/tasks/{task['external_id']}")
    assert v2.status_code == 200
    assert v2.get_json() == task
    created = alice.post("/v2/tasks", json={"name": "Via v2"})
    assert created.status_code == 201
    assert alice.get("/v2/tasks").get_json()["count"] == 2
    login = client.post("/v2/auth/login", json={"email": alice.email, "password": PASSWORD})
    assert login.status_code == 200
    assert client.get("/v2/healthz").status_code == 200
    assert client.get("/v2/openapi.json").status_code == 200


def test_v2_errors_are_the_same_problems(client: FlaskClient, alice: Caller) -> None:
    assert error_of(client.get("/v2/tasks"), 401)["instance"] == "/v2/tasks"
    error_of(alice.get("/v2/nope"), 404)
    error_of(alice.get("/v2tasks"), 404)
    assert "Allow" in error_of_405(client.put("/v2/tasks"))


def error_of_405(response: Any) -> dict[str, str]:
    error_of(response, 405)
    return dict(response.headers)


# -- 500 and 503 ----------------------------------------------------------------------


class _Broken:
    def get(self, *_: Any) -> None:
        raise RuntimeError("secret internals: password=hunter2")

    page = get


def test_an_unexpected_error_is_a_json_500_without_details(
    container: Container, alice: Caller
) -> None:
    container.task_queries.override(providers.Object(_Broken()))
    app = create_app(container)
    app.testing = False  # as in production: the error is handled, not propagated
    response = app.test_client().get("/tasks", headers=alice.headers)
    body = error_of(response, 500)
    text = response.get_data(as_text=True)
    assert "secret internals" not in text
    assert "Traceback" not in text
    assert body["detail"]


@pytest.fixture
def database_down(
    database_url: str, redis_url: str, alice: Caller
) -> Iterator[tuple[FlaskClient, Container]]:
    """An app whose database refuses connections. Alice signed up before it was made: the
    views follow the container wired last, and from here on that is this one."""
    container = build_container(settings_for(database_url, redis_url))
    dead = make_engine(UNREACHABLE_DATABASE)
    container.engine.override(providers.Object(dead))
    app = create_app(container)
    app.testing = False
    yield app.test_client(), container
    container.unwire()
    dead.dispose()


def test_an_unreachable_database_is_a_json_503(
    database_down: tuple[FlaskClient, Container], alice: Caller
) -> None:
    client, _ = database_down
    response = client.post("/auth/login", json={"email": alice.email, "password": PASSWORD})
    error_of(response, 503)
    assert int(response.headers["Retry-After"]) > 0
    error_of(client.get("/tasks", headers=alice.headers), 503)


@pytest.fixture
def redis_down(database_url: str, engine: Engine) -> Iterator[FlaskClient]:
    """An app whose Redis refuses connections (and no other app in the test)."""
    container = build_container(settings_for(database_url, UNREACHABLE_REDIS))
    container.engine.override(providers.Object(engine))
    app = create_app(container)
    app.testing = True
    yield app.test_client()
    container.unwire()


def test_redis_down_breaks_nothing_but_the_health_answer(redis_down: FlaskClient) -> None:
    client = redis_down
    body = {"email": "r@example.com", "name": "R", "password": PASSWORD, "password2": PASSWORD}
    token = client.post("/auth/register", json=body).get_json()["token"]
    headers = {"Authorization": f"Bearer {token['access']}"}
    task = client.post("/tasks", json={"name": "still works"}, headers=headers)
    assert task.status_code == 201
    task_id = task.get_json()["external_id"]
    assert client.get("/tasks", headers=headers).get_json()["count"] == 1
    assert client.patch(f"/tasks/{task_id}", json={"name": "x"}, headers=headers).status_code == 200
    assert client.get(f"/tasks/{task_id}/history", headers=headers).status_code == 200
    assert client.post("/auth/refresh", json={"refresh": token["refresh"]}).status_code == 200
    login = client.post("/auth/login", json={"email": "r@example.com", "password": PASSWORD})
    assert login.status_code == 200
    assert client.delete(f"/tasks/{task_id}", headers=headers).status_code == 204
