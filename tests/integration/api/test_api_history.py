"""GET /tasks/{external_id}/history: every change, with its actor, newest first."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

from flask.testing import FlaskClient

from entrypoints.container import Container
from integration.api.support import Caller, MovableClock, error_of, in_an_hour

ENTRY_FIELDS = {"at", "actor", "type", "from_status", "to_status", "changes"}


def history(caller: Caller, task_id: str, **query: Any) -> dict[str, Any]:
    response = caller.get(f"/tasks/{task_id}/history", query_string=query)
    assert response.status_code == 200, response.get_json()
    page: dict[str, Any] = response.get_json()
    return page


def summary(user: Caller, name: str) -> dict[str, str]:
    return {"external_id": user.user_id, "name": name, "email": user.email}


def test_a_tasks_life_reads_newest_first_with_actors_and_changes(
    alice: Caller, bob: Caller
) -> None:
    task_id = alice.create_task(name="Draft")["external_id"]
    alice.patch(f"/tasks/{task_id}", json={"name": "Final"})
    alice.post("/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task_id})
    bob.post(f"/tasks/{task_id}/start_task")
    bob.post(f"/tasks/{task_id}/complete_task")

    page = history(alice, task_id)
    assert set(page) == {"has_previous", "has_next", "count", "offset", "limit", "results"}
    entries = page["results"]
    assert all(set(entry) == ENTRY_FIELDS for entry in entries)
    assert [e["type"] for e in entries] == ["completed", "started", "assigned", "edited", "created"]
    assert [(e["from_status"], e["to_status"]) for e in entries] == [
        ("in_progress", "completed"),
        ("pending", "in_progress"),
        ("unassigned", "pending"),
        ("unassigned", "unassigned"),
        (None, "unassigned"),
    ]
    alice_summary, bob_summary = summary(alice, "Alice"), summary(bob, "Bob")
    assert [e["actor"] for e in entries] == [
        bob_summary,
        bob_summary,
        alice_summary,
        alice_summary,
        alice_summary,
    ]
    assert entries[3]["changes"] == {"name": {"old": "Draft", "new": "Final"}}
    assert entries[2]["changes"] == {"assigned_to": {"old": None, "new": bob.user_id}}
    times = [datetime.fromisoformat(e["at"]) for e in entries]
    assert times == sorted(times, reverse=True)
    assert all(t.utcoffset() == timedelta(0) for t in times)


def test_an_expiry_is_recorded_with_no_actor(
    alice: Caller, container: Container, clock: MovableClock
) -> None:
    task_id = alice.create_task(deadline=in_an_hour())["external_id"]
    clock.advance(timedelta(hours=2))
    assert container.expire_overdue()().failed == 1
    latest = history(alice, task_id)["results"][0]
    assert (latest["type"], latest["actor"]) == ("expired", None)
    assert (latest["from_status"], latest["to_status"]) == ("unassigned", "failed")


def test_a_refused_completion_of_an_overdue_task_records_its_failure(
    alice: Caller, bob: Caller, clock: MovableClock
) -> None:
    task_id = alice.create_task(deadline=in_an_hour())["external_id"]
    alice.post("/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task_id})
    clock.advance(timedelta(hours=2))
    error_of(bob.post(f"/tasks/{task_id}/complete_task"), 409)
    types = [e["type"] for e in history(alice, task_id)["results"]]
    assert types == ["expired", "assigned", "created"]


def test_refusals_leave_no_history(alice: Caller, bob: Caller) -> None:
    task_id = alice.create_task()["external_id"]
    error_of(bob.patch(f"/tasks/{task_id}", json={"name": "Nope"}), 403)
    error_of(alice.patch(f"/tasks/{task_id}", json={"deadline": "2000-01-01T00:00:00Z"}), 422)
    assert [e["type"] for e in history(alice, task_id)["results"]] == ["created"]


def test_releasing_a_deleted_assignees_task_is_recorded(
    admin: Caller, alice: Caller, bob: Caller
) -> None:
    task_id = alice.create_task()["external_id"]
    alice.post("/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task_id})
    admin.delete(f"/users/{bob.user_id}")
    latest = history(alice, task_id)["results"][0]
    assert latest["type"] == "unassigned"
    assert latest["actor"] == summary(admin, "Admin")
    assert latest["changes"] == {"assigned_to": {"old": bob.user_id, "new": None}}


def test_history_pages_like_every_list(alice: Caller) -> None:
    task_id = alice.create_task(name="v0")["external_id"]
    for version in range(1, 13):
        alice.patch(f"/tasks/{task_id}", json={"name": f"v{version}"})
    first = history(alice, task_id)
    assert (first["count"], first["limit"], len(first["results"]), first["has_next"]) == (
        13,
        10,
        10,
        True,
    )
    assert first["results"][0]["changes"]["name"] == {"old": "v11", "new": "v12"}
    rest = history(alice, task_id, offset=10, limit=1000)
    assert (rest["limit"], rest["has_previous"], rest["has_next"]) == (100, True, False)
    assert [e["type"] for e in rest["results"]] == ["edited", "edited", "created"]
    error_of(alice.get(f"/tasks/{task_id}/history", query_string={"limit": -1}), 422)
    error_of(alice.get(f"/tasks/{task_id}/history", query_string={"order_by": "at"}), 422)


def test_anyone_authenticated_reads_it_nobody_else(
    client: FlaskClient, alice: Caller, bob: Caller
) -> None:
    task_id = alice.create_task()["external_id"]
    assert history(bob, task_id)["count"] == 1
    error_of(client.get(f"/tasks/{task_id}/history"), 401)


def test_unknown_malformed_and_deleted_tasks_have_no_history(alice: Caller) -> None:
    error_of(alice.get(f"/tasks/{uuid4()}/history"), 404)
    error_of(alice.get("/tasks/not-a-uuid/history"), 404)
    task_id = alice.create_task()["external_id"]
    alice.delete(f"/tasks/{task_id}")
    error_of(alice.get(f"/tasks/{task_id}/history"), 404)
