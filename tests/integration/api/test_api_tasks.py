"""/tasks and /tasks/{external_id}: create, read, edit, delete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from flask.testing import FlaskClient

from integration.api.support import Caller, MovableClock, error_of, fields_of, in_an_hour

TASK_FIELDS = {
    "external_id",
    "name",
    "description",
    "assigned_to",
    "status",
    "type",
    "deadline",
    "completed_at",
    "remind_before_seconds",
    "created_at",
    "updated_at",
}


def test_creating_a_task_answers_201_with_the_task(alice: Caller) -> None:
    deadline = datetime(2031, 5, 1, 12, 30, tzinfo=UTC)
    response = alice.post(
        "/tasks",
        json={
            "name": "Write report",
            "description": "Quarterly",
            "type": "urgent",
            "deadline": "2031-05-01T14:30:00+02:00",
        },
    )
    assert response.status_code == 201
    task = response.get_json()
    assert set(task) == TASK_FIELDS
    assert (task["name"], task["description"], task["type"]) == (
        "Write report",
        "Quarterly",
        "urgent",
    )
    assert (task["status"], task["assigned_to"], task["completed_at"]) == ("unassigned", None, None)
    assert datetime.fromisoformat(task["deadline"]) == deadline
    assert task["deadline"].endswith("+00:00")
    assert alice.get(f"/tasks/{task['external_id']}").get_json() == task


def test_a_new_task_defaults_to_normal_with_no_deadline(alice: Caller) -> None:
    task = alice.create_task(name="Bare")
    assert (task["type"], task["description"], task["deadline"]) == ("normal", "", None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "deadline": "2020-01-01T00:00:00Z"}, "deadline"),
        ({"name": "x", "deadline": "2031-01-01T00:00:00"}, "deadline"),
        ({"name": "x", "deadline": "tomorrow"}, "deadline"),
        ({"name": "x", "deadline": "9999-12-31T23:59:59-05:00"}, "deadline"),
        ({"name": "x", "type": "critical"}, "type"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "n" * 256}, "name"),
        ({"name": "x", "description": None}, "description"),
        ({"name": "x", "status": "completed"}, "status"),
        ({"name": "x", "assigned_to": str(uuid4())}, "assigned_to"),
        ({"name": "x", "completed_at": "2031-01-01T00:00:00Z"}, "completed_at"),
        ({"name": "x", "external_id": str(uuid4())}, "external_id"),
        ({"name": "x", "created_at": "2031-01-01T00:00:00Z"}, "created_at"),
        ({"name": "x", "colour": "red"}, "colour"),
        ({"description": "no name"}, "name"),
        ({"name": 5}, "name"),
    ],
)
def test_invalid_and_read_only_fields_are_422_naming_the_field(
    alice: Caller, body: dict[str, Any], field: str
) -> None:
    assert field in fields_of(error_of(alice.post("/tasks", json=body), 422))


def test_a_body_that_is_not_an_object_is_422(alice: Caller) -> None:
    error_of(alice.post("/tasks", json=["name"]), 422)
    error_of(alice.post("/tasks", json="name"), 422)


def test_creating_needs_a_token(client: FlaskClient) -> None:
    error_of(client.post("/tasks", json={"name": "x"}), 401)


def test_anonymous_callers_get_401_before_any_validation(client: FlaskClient) -> None:
    error_of(client.post("/tasks", json={"status": "bogus"}), 401)


def test_unknown_and_malformed_task_ids_are_404(alice: Caller) -> None:
    error_of(alice.get(f"/tasks/{uuid4()}"), 404)
    error_of(alice.get("/tasks/not-a-uuid"), 404)
    error_of(alice.patch("/tasks/123", json={"name": "x"}), 404)
    error_of(alice.delete("/tasks/zzz"), 404)


# -- PATCH ----------------------------------------------------------------------------


def test_the_creator_edits_the_given_fields_only(alice: Caller) -> None:
    task = alice.create_task(name="Old", description="Keep me", type="low")
    deadline = in_an_hour()
    response = alice.patch(
        f"/tasks/{task['external_id']}", json={"name": "New", "deadline": deadline}
    )
    assert response.status_code == 200
    edited = response.get_json()
    assert (edited["name"], edited["description"], edited["type"]) == ("New", "Keep me", "low")
    assert datetime.fromisoformat(edited["deadline"]) == datetime.fromisoformat(deadline)
    assert edited["updated_at"] >= task["updated_at"]


def test_an_admin_edits_anyones_task(admin: Caller, alice: Caller) -> None:
    task = alice.create_task()
    assert admin.patch(f"/tasks/{task['external_id']}", json={"type": "urgent"}).status_code == 200


def test_others_may_not_edit_a_task(alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    error_of(bob.patch(f"/tasks/{task['external_id']}", json={"name": "Mine now"}), 403)
    # Not even its assignee: editing belongs to the creator.
    alice.post("/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task["external_id"]})
    error_of(bob.patch(f"/tasks/{task['external_id']}", json={"name": "Mine now"}), 403)


@pytest.mark.parametrize(
    "body",
    [
        {"status": "completed"},
        {"assigned_to": None},
        {"completed_at": None},
        {"deadline": None},
        {"deadline": "2001-01-01T00:00:00Z"},
        {"name": ""},
        {"type": "whatever"},
    ],
)
def test_read_only_and_invalid_edits_are_422(alice: Caller, body: dict[str, Any]) -> None:
    task = alice.create_task()
    error_of(alice.patch(f"/tasks/{task['external_id']}", json=body), 422)


def test_a_finished_task_cannot_be_edited(alice: Caller) -> None:
    task = alice.create_task()
    alice.post(
        "/tasks/assign_task", json={"user_id": alice.user_id, "task_id": task["external_id"]}
    )
    alice.post(f"/tasks/{task['external_id']}/complete_task")
    error_of(alice.patch(f"/tasks/{task['external_id']}", json={"name": "Again"}), 409)


def test_editing_an_overdue_task_fails_it_and_answers_409(
    alice: Caller, clock: MovableClock
) -> None:
    task = alice.create_task(deadline=in_an_hour())
    clock.advance(timedelta(hours=2))
    error_of(alice.patch(f"/tasks/{task['external_id']}", json={"name": "Late"}), 409)
    assert alice.get(f"/tasks/{task['external_id']}").get_json()["status"] == "failed"


# -- DELETE ---------------------------------------------------------------------------


def test_the_creator_deletes_a_task_which_vanishes_everywhere(alice: Caller) -> None:
    task = alice.create_task()
    response = alice.delete(f"/tasks/{task['external_id']}")
    assert response.status_code == 204
    assert response.get_data() == b""
    error_of(alice.get(f"/tasks/{task['external_id']}"), 404)
    assert alice.get("/tasks").get_json()["count"] == 0
    error_of(alice.delete(f"/tasks/{task['external_id']}"), 404)
    error_of(alice.get(f"/tasks/{task['external_id']}/history"), 404)


def test_an_admin_deletes_anyones_task(admin: Caller, alice: Caller) -> None:
    task = alice.create_task()
    assert admin.delete(f"/tasks/{task['external_id']}").status_code == 204


def test_others_may_not_delete_a_task(alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    error_of(bob.delete(f"/tasks/{task['external_id']}"), 403)
    assert alice.get(f"/tasks/{task['external_id']}").status_code == 200
