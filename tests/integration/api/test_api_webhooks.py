"""/webhooks over HTTP, and every event type arriving signed at a real local receiver."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from standardwebhooks.webhooks import Webhook

from domain.status import WebhookEventType
from entrypoints.container import Container
from integration.api.support import Caller, MovableClock, in_an_hour
from integration.receiver import Receiver, running_receiver

ALL = sorted(event.value for event in WebhookEventType)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


def register(caller: Caller, url: str, types: list[str] = ALL) -> dict[str, Any]:
    response = caller.post("/webhooks", json={"url": url, "event_types": types})
    assert response.status_code == 201, response.get_json()
    created: dict[str, Any] = response.get_json()
    return created


def deliver_everything(container: Container) -> int:
    """What the scheduler and the workers do, in this process: until nothing is due."""
    attempts = 0
    while due := container.dispatch_webhooks()().due:
        for delivery_id in due:
            container.deliver_webhook()(delivery_id)
            attempts += 1
    return attempts


def test_the_secret_is_shown_once_at_creation(alice: Caller, receiver: Receiver) -> None:
    created = register(alice, receiver.url)

    assert created["secret"].startswith("whsec_")
    shown = alice.get(f"/webhooks/{created['id']}").get_json()
    assert "secret" not in shown
    assert shown["event_types"] == ALL
    assert shown["enabled"] is True
    assert shown["disabled_reason"] is None


def test_only_the_owner_and_admins_see_an_endpoint(
    alice: Caller, bob: Caller, admin: Caller, receiver: Receiver
) -> None:
    created = register(alice, receiver.url)
    register(bob, receiver.url)

    assert [hook["id"] for hook in alice.get("/webhooks").get_json()["results"]] == [created["id"]]
    assert len(admin.get("/webhooks").get_json()["results"]) == 2
    for response in (
        bob.get(f"/webhooks/{created['id']}"),
        bob.patch(f"/webhooks/{created['id']}", json={"enabled": False}),
        bob.delete(f"/webhooks/{created['id']}"),
        bob.post(f"/webhooks/{created['id']}/rotate_secret"),
        bob.get(f"/webhooks/{created['id']}/deliveries"),
    ):
        assert response.status_code == 404
    assert admin.get(f"/webhooks/{created['id']}").status_code == 200


def test_an_endpoint_is_changed_rotated_and_deleted(alice: Caller, receiver: Receiver) -> None:
    created = register(alice, receiver.url)
    path = f"/webhooks/{created['id']}"

    changed = alice.patch(path, json={"event_types": ["task.expired"], "enabled": False})
    assert changed.status_code == 200
    assert changed.get_json()["event_types"] == ["task.expired"]
    assert changed.get_json()["enabled"] is False
    rotated = alice.post(f"{path}/rotate_secret")
    assert rotated.status_code == 200
    assert rotated.get_json()["secret"] not in (None, created["secret"])
    assert alice.delete(path).status_code == 204
    assert alice.get(path).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"url": "https://example.com/in", "event_types": []},
        {"url": "https://example.com/in", "event_types": ["task.edited"]},
        {"url": "ftp://127.0.0.1/in", "event_types": ["task.created"]},
        {"url": "http://169.254.169.254/latest", "event_types": ["task.created"]},
        {"url": "https://no-such-host.invalid/in", "event_types": ["task.created"]},
        {"event_types": ["task.created"]},
    ],
)
def test_bad_endpoints_are_refused_with_422(alice: Caller, body: dict[str, Any]) -> None:
    assert alice.post("/webhooks", json=body).status_code == 422


def test_every_event_type_arrives_signed_at_a_real_receiver(
    alice: Caller, bob: Caller, container: Container, clock: MovableClock, receiver: Receiver
) -> None:
    secret = register(alice, receiver.url)["secret"]
    worked = alice.create_task(name="Worked on", deadline=in_an_hour())
    task_id = worked["external_id"]
    alice.post("/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task_id})
    bob.post(f"/tasks/{task_id}/start_task")
    bob.post(f"/tasks/{task_id}/complete_task")
    soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    alice.create_task(name="Expires", deadline=soon)
    dropped = alice.create_task(name="Dropped")
    assert alice.delete(f"/tasks/{dropped['external_id']}").status_code == 204
    alice.create_task(name="Reminded", deadline=in_an_hour(), remind_before_seconds=3600)
    clock.advance(timedelta(seconds=3))
    assert container.expire_overdue()().failed == 1
    assert container.remind_deadlines()() == 1

    deliver_everything(container)

    verifier = Webhook(secret)
    payloads = [verifier.verify(item.body, item.headers) for item in receiver.received]
    assert sorted({payload["type"] for payload in payloads}) == ALL
    assert (
        len(payloads) == 10
    )  # 4 created; assigned, started, completed, expired, deleted; reminder
    assert len(set(receiver.ids())) == 10
    by_type = {payload["type"]: payload for payload in payloads}
    completed = by_type["task.completed"]["data"]
    assert completed["actor"]["external_id"] == bob.user_id
    assert completed["task"]["status"] == "completed"
    assert completed["task"]["assigned_to"]["external_id"] == bob.user_id
    assert set(completed["task"]) == set(alice.get(f"/tasks/{task_id}").get_json())
    # The task as each event left it, however late the delivery.
    assert by_type["task.assigned"]["data"]["task"]["status"] == "pending"
    expired = by_type["task.expired"]["data"]
    assert expired["actor"] is None
    assert expired["task"]["status"] == "failed"
    assert by_type["task.deadline_approaching"]["data"]["task"]["name"] == "Reminded"


def test_bob_receives_the_events_of_tasks_he_is_assigned_and_no_others(
    alice: Caller, bob: Caller, container: Container, receiver: Receiver
) -> None:
    register(bob, receiver.url)
    alice.create_task(name="Not his")
    his = alice.create_task(name="His")
    alice.post("/tasks/assign_task", json={"user_id": bob.user_id, "task_id": his["external_id"]})

    deliver_everything(container)

    assert receiver.types() == ["task.assigned"]


def test_the_log_shows_each_attempt_and_a_replay_sends_the_same_message_again(
    alice: Caller, container: Container, clock: MovableClock, receiver: Receiver
) -> None:
    created = register(alice, receiver.url, ["task.created"])
    receiver.script = [500]
    alice.create_task(name="Logged")
    deliver_everything(container)  # fails once; the retry is not due yet
    clock.advance(timedelta(seconds=6))
    deliver_everything(container)

    log = alice.get(f"/webhooks/{created['id']}/deliveries").get_json()
    assert [(a["status_code"], a["outcome"]) for a in log["results"]] == [
        (204, "delivered"),
        (500, "failed"),
    ]
    assert log["results"][1]["error"] == "HTTP 500"
    assert all(a["duration_ms"] >= 0 for a in log["results"])
    delivery = log["results"][0]["delivery_id"]
    replayed = alice.post(f"/webhooks/{created['id']}/deliveries/{delivery}/replay")
    assert replayed.status_code == 202
    assert replayed.get_json()["status"] == "pending"
    deliver_everything(container)
    assert len(receiver.ids()) == 2
    assert len(set(receiver.ids())) == 1  # the same webhook-id: a receiver can drop it


def test_a_410_disables_the_endpoint_and_says_why(
    alice: Caller, container: Container, receiver: Receiver
) -> None:
    created = register(alice, receiver.url)
    receiver.status = 410
    alice.create_task(name="Gone")
    deliver_everything(container)

    shown = alice.get(f"/webhooks/{created['id']}").get_json()
    assert shown["enabled"] is False
    assert shown["disabled_reason"] == "The endpoint answered 410 Gone."


def test_the_document_describes_the_delivered_request(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    callback = spec["paths"]["/webhooks"]["post"]["callbacks"]["event"]
    request = callback["{$request.body#/url}"]["post"]
    schema = request["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/WebhookPayload"}
    assert {p["name"] for p in request["parameters"]} == {
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    }
    assert "task.deadline_approaching" in str(spec["components"]["schemas"]["WebhookPayload"])


def test_a_task_shows_when_it_is_reminded_on_the_strict_api_only(alice: Caller) -> None:
    task = alice.create_task(name="Soon", remind_before_seconds=600)
    assert task["remind_before_seconds"] == 600
    path = f"/tasks/{task['external_id']}"
    assert alice.get(path).get_json()["remind_before_seconds"] == 600
    changed = alice.patch(path, json={"remind_before_seconds": 120}).get_json()
    assert changed["remind_before_seconds"] == 120
    assert alice.create_task(name="Default")["remind_before_seconds"] is None
    assert "remind_before_seconds" not in alice.get(f"/v1{path}").get_json()
