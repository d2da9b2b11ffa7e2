"""With REQUIRE_IF_MATCH=1 every write of a task or a user must say which version it changes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from dependency_injector import providers
from flask.testing import FlaskClient
from sqlalchemy import Engine

from entrypoints.container import build_container
from entrypoints.http.app import create_app
from integration.api.fixtures import settings_for, signer
from integration.api.support import Caller, MovableClock, error_of


@pytest.fixture
def strict(
    database_url: str, engine: Engine, redis_url: str, clock: MovableClock
) -> Iterator[FlaskClient]:
    """A client of an app that requires If-Match (and of no other app in this test)."""
    settings = dataclasses.replace(settings_for(database_url, redis_url), require_if_match=True)
    container = build_container(settings)
    container.engine.override(providers.Object(engine))
    container.clock.override(providers.Object(clock))
    app = create_app(container)
    app.testing = True
    yield app.test_client()
    container.unwire()
    container.redis().close()


def test_every_write_without_if_match_is_428_and_changes_nothing(strict: FlaskClient) -> None:
    alice: Caller = signer(strict)("Alice")
    created = alice.create_task()  # creating has no version to name: allowed
    task_id = created["external_id"]
    path = f"/tasks/{task_id}"
    writes = [
        alice.patch(path, json={"name": "Blind"}),
        alice.delete(path),
        alice.post("/tasks/assign_task", json={"user_id": alice.user_id, "task_id": task_id}),
        alice.post(f"{path}/start_task"),
        alice.post(f"{path}/complete_task"),
        alice.patch(f"/users/{alice.user_id}", json={"name": "Blind"}),
        alice.delete(f"/v2/users/{alice.user_id}"),
    ]
    for response in writes:
        assert "If-Match" in error_of(response, 428)["detail"]
    assert alice.get(path).headers["ETag"] == '"1"'
    assert alice.get("/users/me").get_json()["name"] == "Alice"


def test_a_write_with_if_match_goes_through(strict: FlaskClient) -> None:
    alice = signer(strict)("Alice")
    path = f"/tasks/{alice.create_task()['external_id']}"
    named = strict.patch(path, json={"name": "Seen"}, headers={**alice.headers, "If-Match": '"1"'})
    assert (named.status_code, named.headers["ETag"]) == (200, '"2"')
    assert strict.delete(path, headers={**alice.headers, "If-Match": "*"}).status_code == 204
