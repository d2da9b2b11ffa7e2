"""The authorization table of docs/architecture.md, row by row, over HTTP: who may, who may not.

The world of every case: Alice created a task and assigned it to Bob (so it is pending);
Carol is someone else; the admin is an admin; "anonymous" sends no token. Each case makes
one call as one role and checks the status, and for refusals that nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from integration.api.support import PASSWORD, Caller, error_of


@dataclass
class World:
    client: FlaskClient
    creator: Caller
    assignee: Caller
    other: Caller
    admin: Caller
    task_id: str
    unassigned_task_id: str

    def caller(self, role: str) -> Caller:
        if role == "anonymous":
            return Caller(self.client, str(uuid4()), "", "", "")
        caller: Caller = getattr(self, role)
        return caller

    def task(self, task_id: str | None = None) -> dict[str, Any]:
        found: dict[str, Any] = self.admin.get(f"/tasks/{task_id or self.task_id}").get_json()
        return found


@pytest.fixture
def world(client: FlaskClient, admin: Caller, alice: Caller, bob: Caller, carol: Caller) -> World:
    task = alice.create_task(name="Shared")
    assigned = alice.post(
        "/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task["external_id"]}
    )
    assert assigned.status_code == 200
    spare = alice.create_task(name="Nobody's yet")
    return World(client, alice, bob, carol, admin, task["external_id"], spare["external_id"])


Action = Callable[[World, Caller], TestResponse]

ACTIONS: dict[str, Action] = {
    "list users": lambda w, c: c.get("/users"),
    "read a user": lambda w, c: c.get(f"/users/{w.other.user_id}"),
    "list tasks": lambda w, c: c.get("/tasks"),
    "read a task": lambda w, c: c.get(f"/tasks/{w.task_id}"),
    "read a task's history": lambda w, c: c.get(f"/tasks/{w.task_id}/history"),
    "create a task": lambda w, c: c.post("/tasks", json={"name": "New"}),
    "edit the task": lambda w, c: c.patch(f"/tasks/{w.task_id}", json={"name": "Edited"}),
    "delete the task": lambda w, c: c.delete(f"/tasks/{w.task_id}"),
    "assign the task to someone else": lambda w, c: c.post(
        "/tasks/assign_task", json={"user_id": w.other.user_id, "task_id": w.task_id}
    ),
    "take the assigned task oneself": lambda w, c: c.post(
        "/tasks/assign_task", json={"user_id": c.user_id, "task_id": w.task_id}
    ),
    "take an unassigned task oneself": lambda w, c: c.post(
        "/tasks/assign_task", json={"user_id": c.user_id, "task_id": w.unassigned_task_id}
    ),
    "give an unassigned task to the creator": lambda w, c: c.post(
        "/tasks/assign_task",
        json={"user_id": w.creator.user_id, "task_id": w.unassigned_task_id},
    ),
    "start the task": lambda w, c: c.post(f"/tasks/{w.task_id}/start_task"),
    "complete the task": lambda w, c: c.post(f"/tasks/{w.task_id}/complete_task"),
    "create a user": lambda w, c: c.post(
        "/users", json={"email": "new@example.com", "name": "New", "password": PASSWORD}
    ),
    "delete a user": lambda w, c: c.delete(f"/users/{w.other.user_id}"),
    "make someone admin": lambda w, c: c.patch(
        f"/users/{w.other.user_id}", json={"is_admin": True}
    ),
    "make oneself admin": lambda w, c: c.patch(f"/users/{c.user_id}", json={"is_admin": True}),
    "rename someone else": lambda w, c: c.patch(
        f"/users/{(w.creator if c is w.other else w.other).user_id}", json={"name": "Renamed"}
    ),
    "rename oneself": lambda w, c: c.patch(f"/users/{c.user_id}", json={"name": "Renamed"}),
}

READS = ["list users", "read a user", "list tasks", "read a task", "read a task's history"]
ROLES = ["creator", "assignee", "other", "admin"]

#: (action, role) -> status; every pair of a known role and action is listed.
TABLE: dict[tuple[str, str], int] = {
    **{(action, role): 200 for action in READS for role in ROLES},
    **{("create a task", role): 201 for role in ROLES},
    ("edit the task", "creator"): 200,
    ("edit the task", "admin"): 200,
    ("edit the task", "assignee"): 403,
    ("edit the task", "other"): 403,
    ("delete the task", "creator"): 204,
    ("delete the task", "admin"): 204,
    ("delete the task", "assignee"): 403,
    ("delete the task", "other"): 403,
    ("assign the task to someone else", "creator"): 200,
    ("assign the task to someone else", "admin"): 200,
    ("assign the task to someone else", "assignee"): 403,
    ("assign the task to someone else", "other"): 403,
    # An assigned task is no longer free to take: only its creator or an admin reassign it.
    ("take the assigned task oneself", "creator"): 200,
    ("take the assigned task oneself", "admin"): 200,
    ("take the assigned task oneself", "assignee"): 403,
    ("take the assigned task oneself", "other"): 403,
    ("take an unassigned task oneself", "creator"): 200,
    ("take an unassigned task oneself", "admin"): 200,
    ("take an unassigned task oneself", "assignee"): 200,
    ("take an unassigned task oneself", "other"): 200,
    ("give an unassigned task to the creator", "creator"): 200,
    ("give an unassigned task to the creator", "admin"): 200,
    ("give an unassigned task to the creator", "assignee"): 403,
    ("give an unassigned task to the creator", "other"): 403,
    ("start the task", "assignee"): 200,
    ("start the task", "creator"): 403,
    ("start the task", "admin"): 403,
    ("start the task", "other"): 403,
    ("complete the task", "assignee"): 200,
    ("complete the task", "creator"): 403,
    ("complete the task", "admin"): 403,
    ("complete the task", "other"): 403,
    ("create a user", "admin"): 201,
    **{("create a user", role): 403 for role in ["creator", "assignee", "other"]},
    ("delete a user", "admin"): 204,
    **{("delete a user", role): 403 for role in ["creator", "assignee", "other"]},
    ("make someone admin", "admin"): 200,
    **{("make someone admin", role): 403 for role in ["creator", "assignee", "other"]},
    ("make oneself admin", "admin"): 200,
    **{("make oneself admin", role): 403 for role in ["creator", "assignee", "other"]},
    ("rename someone else", "admin"): 200,
    **{("rename someone else", role): 403 for role in ["creator", "assignee", "other"]},
    ("rename oneself", "admin"): 200,
    **{("rename oneself", role): 200 for role in ["creator", "assignee", "other"]},
}


def _state(world: World) -> tuple[Any, ...]:
    """What a refused call must leave untouched."""
    users = world.admin.get("/users", query_string={"limit": 100}).get_json()["results"]
    tasks = world.admin.get("/tasks", query_string={"limit": 100}).get_json()["results"]
    return tuple(sorted(str(u) for u in users)), tuple(sorted(str(t) for t in tasks))


@pytest.mark.parametrize(("action", "role"), sorted(TABLE), ids=lambda value: str(value))
def test_the_table(world: World, action: str, role: str) -> None:
    expected = TABLE[(action, role)]
    before = _state(world)
    response = ACTIONS[action](world, world.caller(role))
    if expected >= 400:
        error_of(response, expected)
        assert _state(world) == before
    else:
        assert response.status_code == expected, response.get_json()


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_anonymous_callers_are_refused_everything_but_the_auth_endpoints(
    world: World, action: str
) -> None:
    before = _state(world)
    error_of(ACTIONS[action](world, world.caller("anonymous")), 401)
    assert _state(world) == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/auth/register", {"email": "z@example.com", "name": "Z", "password": PASSWORD}),
        ("/auth/login", {"email": "alice@example.com", "password": PASSWORD}),
    ],
)
def test_anyone_may_register_and_log_in(world: World, path: str, body: dict[str, Any]) -> None:
    if path == "/auth/register":
        body = {**body, "password2": PASSWORD}
    assert world.client.post(path, json=body).status_code in {200, 201}


def test_anyone_holding_a_refresh_token_may_refresh(world: World) -> None:
    response = world.client.post("/auth/refresh", json={"refresh": world.other.refresh})
    assert response.status_code == 200


def test_the_table_covers_every_action_for_every_role() -> None:
    """Guards the table itself: a new action must say who may do it."""
    assert {(action, role) for action in ACTIONS for role in ROLES} == set(TABLE)
