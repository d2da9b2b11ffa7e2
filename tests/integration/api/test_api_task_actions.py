"""POST /tasks/assign_task, /tasks/{id}/start_task, /tasks/{id}/complete_task."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest

from integration.api.support import Caller, MovableClock, error_of, fields_of, in_an_hour


def assign(caller: Caller, task: dict[str, Any], user: Caller) -> Any:
    return caller.post(
        "/tasks/assign_task", json={"user_id": user.user_id, "task_id": task["external_id"]}
    )


def test_assigning_answers_the_original_message_and_the_task(alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    response = assign(alice, task, bob)
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"message", "task"}
    assert body["message"] == "Task assigned successfully."
    assert body["task"]["status"] == "pending"
    assert body["task"]["assigned_to"]["external_id"] == bob.user_id
    assert body["task"]["assigned_to"]["total_tasks_assigned"] == 1


def test_reassigning_moves_the_task_back_to_pending(
    alice: Caller, bob: Caller, carol: Caller
) -> None:
    task = alice.create_task()
    assign(alice, task, bob)
    bob.post(f"/tasks/{task['external_id']}/start_task")
    body = assign(alice, task, carol).get_json()
    assert (body["task"]["status"], body["task"]["assigned_to"]["external_id"]) == (
        "pending",
        carol.user_id,
    )


def test_starting_answers_its_message(alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    assign(alice, task, bob)
    response = bob.post(f"/tasks/{task['external_id']}/start_task")
    assert response.status_code == 200
    assert response.get_json()["message"] == "Task started."
    assert response.get_json()["task"]["status"] == "in_progress"


def test_completing_answers_its_message_and_sets_completed_at(alice: Caller, bob: Caller) -> None:
    task = alice.create_task(deadline=in_an_hour())
    assign(alice, task, bob)
    bob.post(f"/tasks/{task['external_id']}/start_task")
    response = bob.post(f"/tasks/{task['external_id']}/complete_task")
    assert response.status_code == 200
    body = response.get_json()
    assert body["message"] == "Task marked as completed."
    assert body["task"]["status"] == "completed"
    completed_at = datetime.fromisoformat(body["task"]["completed_at"])
    assert completed_at.utcoffset() == timedelta(0)


def test_a_pending_task_may_be_completed_without_starting(alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    assign(alice, task, bob)
    assert bob.post(f"/tasks/{task['external_id']}/complete_task").status_code == 200


@pytest.mark.parametrize("action", ["start_task", "complete_task"])
def test_an_unassigned_task_cannot_be_worked_on(alice: Caller, action: str) -> None:
    task = alice.create_task()
    # Nobody is its assignee, so nobody may: the policy refuses first.
    error_of(alice.post(f"/tasks/{task['external_id']}/{action}"), 403)


def test_starting_twice_is_a_conflict(alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    assign(alice, task, bob)
    bob.post(f"/tasks/{task['external_id']}/start_task")
    error_of(bob.post(f"/tasks/{task['external_id']}/start_task"), 409)


def test_a_completed_task_can_be_neither_completed_again_nor_reassigned(
    alice: Caller, bob: Caller
) -> None:
    task = alice.create_task()
    assign(alice, task, bob)
    bob.post(f"/tasks/{task['external_id']}/complete_task")
    error_of(bob.post(f"/tasks/{task['external_id']}/complete_task"), 409)
    error_of(bob.post(f"/tasks/{task['external_id']}/start_task"), 409)
    error_of(assign(alice, task, alice), 409)


def test_completing_an_overdue_task_fails_it_and_answers_409(
    alice: Caller, bob: Caller, clock: MovableClock
) -> None:
    task = alice.create_task(deadline=in_an_hour())
    assign(alice, task, bob)
    clock.advance(timedelta(hours=2))
    error_of(bob.post(f"/tasks/{task['external_id']}/complete_task"), 409)
    after = alice.get(f"/tasks/{task['external_id']}").get_json()
    assert (after["status"], after["completed_at"]) == ("failed", None)
    # Failed is final: no later attempt completes it.
    error_of(bob.post(f"/tasks/{task['external_id']}/complete_task"), 409)


def test_assigning_an_overdue_task_fails_it_and_answers_409(
    alice: Caller, bob: Caller, clock: MovableClock
) -> None:
    task = alice.create_task(deadline=in_an_hour())
    clock.advance(timedelta(hours=2))
    error_of(assign(alice, task, bob), 409)
    assert alice.get(f"/tasks/{task['external_id']}").get_json()["status"] == "failed"


def test_assigning_to_or_of_something_unknown_is_404(alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    unknown_user = {"user_id": str(uuid4()), "task_id": task["external_id"]}
    error_of(alice.post("/tasks/assign_task", json=unknown_user), 404)
    unknown_task = {"user_id": bob.user_id, "task_id": str(uuid4())}
    error_of(alice.post("/tasks/assign_task", json=unknown_task), 404)


def test_assigning_to_a_deleted_user_is_404(admin: Caller, alice: Caller, bob: Caller) -> None:
    task = alice.create_task()
    admin.delete(f"/users/{bob.user_id}")
    error_of(assign(alice, task, bob), 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"user_id": "nope", "task_id": str(uuid4())}, "user_id"),
        ({"user_id": str(uuid4()), "task_id": 12}, "task_id"),
        ({"task_id": str(uuid4())}, "user_id"),
        ({"user_id": str(uuid4()), "task_id": str(uuid4()), "status": "pending"}, "status"),
    ],
)
def test_malformed_assign_bodies_are_422(alice: Caller, body: dict[str, Any], field: str) -> None:
    assert field in fields_of(error_of(alice.post("/tasks/assign_task", json=body), 422))


@pytest.mark.parametrize("action", ["start_task", "complete_task"])
def test_actions_on_unknown_or_malformed_tasks_are_404(alice: Caller, action: str) -> None:
    error_of(alice.post(f"/tasks/{uuid4()}/{action}"), 404)
    error_of(alice.post(f"/tasks/not-a-uuid/{action}"), 404)


def test_assign_task_is_not_mistaken_for_a_task_id(alice: Caller) -> None:
    response = alice.get("/tasks/assign_task")
    error_of(response, 405)
    assert "POST" in response.headers["Allow"]
