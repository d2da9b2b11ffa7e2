"""Delivering the outbox: fan-out by subscription and involvement, leases, signed attempts,
the retry schedule, 410, a day of failures, the address re-checked at delivery, replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from standardwebhooks.webhooks import Webhook

from application.errors import NotFound
from application.policy import Actor
from application.webhooks.delivery import LEASE, DeliverWebhook, DispatchWebhooks
from application.webhooks.endpoints import CreateWebhook
from application.webhooks.log import ListDeliveries, ReplayDelivery
from application.webhooks.ports import OutboxEvent
from application.webhooks.signing import headers, new_secret
from domain.status import WebhookEventType
from domain.webhooks import (
    DISABLE_AFTER,
    GONE_REASON,
    MAX_ATTEMPTS,
    RETRY_DELAYS_SECONDS,
    DeliveryOutcome,
    DeliveryStatus,
)
from unit.fake_webhooks import EchoRenderer, FakeWebhookUnitOfWork, ScriptedSender, TableResolver
from unit.fakes import FixedClock

ANN, BOB = Actor(uuid4()), Actor(uuid4())
ADMIN = Actor(uuid4(), is_admin=True)
ALL = frozenset(WebhookEventType)
DNS = {"hooks.example.com": ["93.184.216.34"]}


class Pipeline:
    def __init__(self, *statuses: int | None) -> None:
        self.uow = FakeWebhookUnitOfWork()
        self.uow.deliveries.admins.add(ADMIN.user_id)
        self.clock = FixedClock()
        self.resolver = TableResolver(DNS)
        self.sender = ScriptedSender(*statuses)
        self.create = CreateWebhook(self.uow, self.clock, self.resolver, False)
        self.dispatch = DispatchWebhooks(self.uow, self.clock, EchoRenderer())
        self.deliver = DeliverWebhook(
            self.uow, self.clock, self.resolver, self.sender, lambda: 0.0, False
        )
        args = (self.uow, self.clock, self.resolver, False)
        self.log, self.replay = ListDeliveries(*args), ReplayDelivery(*args)

    def event(
        self,
        type: WebhookEventType = WebhookEventType.TASK_ASSIGNED,
        created_by: Actor = ANN,
        assigned_to: Actor | None = None,
    ) -> OutboxEvent:
        task = {
            "external_id": str(uuid4()),
            "created_by": str(created_by.user_id),
            "assigned_to": None if assigned_to is None else str(assigned_to.user_id),
        }
        event = OutboxEvent(uuid4(), type, self.clock.now(), created_by.user_id, task)
        self.uow.deliveries.events.append(event)
        return event

    def endpoint(self, actor: Actor = ANN, types: frozenset[WebhookEventType] = ALL) -> UUID:
        return self.create(actor, url="https://hooks.example.com/in", event_types=types).id

    def only_delivery(self) -> UUID:
        [delivery_id] = self.uow.deliveries.deliveries
        return delivery_id

    def status(self, delivery_id: UUID) -> DeliveryStatus:
        return self.uow.deliveries.deliveries[delivery_id].status


def test_events_go_to_subscribed_endpoints_of_admins_and_of_those_involved() -> None:
    line = Pipeline()
    ann, bob, admin = line.endpoint(ANN), line.endpoint(BOB), line.endpoint(ADMIN)
    line.endpoint(BOB, frozenset({WebhookEventType.TASK_EXPIRED}))  # not subscribed
    line.event(created_by=ANN, assigned_to=BOB)
    line.event(created_by=ANN)

    report = line.dispatch()

    assert report.fanned_out == 5
    receivers = sorted(str(d.endpoint_id) for d in line.uow.deliveries.deliveries.values())
    assert receivers == sorted(map(str, [ann, ann, bob, admin, admin]))
    assert len(report.due) == 5
    assert line.dispatch().due == ()  # leased: not queued twice


def test_a_lease_that_runs_out_queues_the_delivery_again() -> None:
    line = Pipeline()
    line.endpoint()
    line.event()
    [first] = line.dispatch().due

    line.clock.advance(LEASE)

    assert line.dispatch().due == (first,)


def test_a_delivery_is_signed_so_that_a_standard_webhooks_receiver_verifies_it() -> None:
    line = Pipeline(200)
    line.clock.set(datetime.now(UTC))  # receivers refuse timestamps far from their clock
    endpoint_id = line.endpoint()
    event = line.event()
    line.dispatch()

    assert line.deliver(line.only_delivery()) is DeliveryOutcome.DELIVERED

    [request] = line.sender.sent
    secret = line.uow.webhooks.committed[endpoint_id].secret
    assert Webhook(secret).verify(request.body, dict(request.headers)) == {
        "type": "task.assigned",
        "task": event.task["external_id"],
    }
    assert request.headers["webhook-id"] == f"msg_{event.id.hex}"
    assert request.address == "93.184.216.34"
    assert request.timeout_seconds == 10
    assert line.status(line.only_delivery()) is DeliveryStatus.DELIVERED


def test_during_a_rotation_either_secret_verifies() -> None:
    old, new = new_secret(), new_secret()
    now = datetime.now(UTC)
    signed = headers((new, old), "msg_1", now, "{}")
    for secret in (old, new):
        Webhook(secret).verify("{}", signed)
    assert len(signed["webhook-signature"].split(" ")) == 2


def test_failed_attempts_are_retried_on_the_fixed_schedule_then_given_up() -> None:
    line = Pipeline(500)
    line.endpoint()
    line.event()
    line.dispatch()
    delivery_id = line.only_delivery()

    waits = []
    for _ in range(MAX_ATTEMPTS):
        assert line.deliver(delivery_id) is DeliveryOutcome.FAILED
        due = line.uow.deliveries.deliveries[delivery_id].next_attempt_at
        if due is not None:
            waits.append((due - line.clock.now()).total_seconds())
            line.clock.set(due)

    assert tuple(waits) == RETRY_DELAYS_SECONDS
    assert line.status(delivery_id) is DeliveryStatus.FAILED
    assert 24 * 3600 <= sum(RETRY_DELAYS_SECONDS) <= 30 * 3600  # about a day
    assert len(line.uow.deliveries.log_rows) == MAX_ATTEMPTS


def test_an_attempt_not_due_yet_is_not_made() -> None:
    line = Pipeline(500)
    line.endpoint()
    line.event()
    line.dispatch()
    delivery_id = line.only_delivery()
    line.deliver(delivery_id)

    assert line.deliver(delivery_id) is None  # a duplicate job: the retry is not due yet
    assert len(line.sender.sent) == 1


def test_410_disables_the_endpoint_and_says_why() -> None:
    line = Pipeline(410)
    endpoint_id = line.endpoint()
    line.event()
    line.event()
    line.dispatch()

    first, second = line.uow.deliveries.deliveries
    assert line.deliver(first) is DeliveryOutcome.GONE
    endpoint = line.uow.webhooks.committed[endpoint_id]
    assert not endpoint.enabled
    assert endpoint.disabled_reason == GONE_REASON
    assert line.deliver(second) is None  # nothing more goes to a disabled endpoint
    assert line.dispatch().due == ()


def test_an_endpoint_failing_every_attempt_for_a_day_is_disabled_with_the_reason() -> None:
    line = Pipeline(503)
    endpoint_id = line.endpoint()
    for _ in range(3):
        line.event()
    line.dispatch()
    first, second, third = line.uow.deliveries.deliveries
    line.deliver(first)
    line.clock.advance(DISABLE_AFTER - timedelta(seconds=1))
    line.deliver(second)
    assert line.uow.webhooks.committed[endpoint_id].enabled

    line.clock.advance(timedelta(seconds=1))
    line.deliver(third)

    endpoint = line.uow.webhooks.committed[endpoint_id]
    assert not endpoint.enabled
    assert endpoint.disabled_reason is not None
    assert "HTTP 503" in endpoint.disabled_reason


def test_a_success_starts_the_count_of_failures_afresh() -> None:
    line = Pipeline(503, 200, 503)
    endpoint_id = line.endpoint()
    for _ in range(3):
        line.event()
    line.dispatch()
    first, second, third = line.uow.deliveries.deliveries
    line.deliver(first)
    line.deliver(second)
    line.clock.advance(DISABLE_AFTER)
    line.deliver(third)

    assert line.uow.webhooks.committed[endpoint_id].enabled


def test_an_address_that_turned_private_is_refused_at_delivery_without_a_call() -> None:
    line = Pipeline(200)
    line.endpoint()
    line.event()
    line.dispatch()
    line.resolver.table["hooks.example.com"] = ["10.1.2.3"]  # DNS now points inside

    assert line.deliver(line.only_delivery()) is DeliveryOutcome.FAILED
    assert line.sender.sent == []
    [attempt] = line.uow.deliveries.log_rows
    assert attempt.error is not None
    assert "10.1.2.3" in attempt.error


def test_the_log_lists_every_attempt_newest_first_and_a_replay_sends_again() -> None:
    line = Pipeline(500, 200)
    endpoint_id = line.endpoint()
    line.event()
    line.dispatch()
    delivery_id = line.only_delivery()
    line.deliver(delivery_id)
    line.clock.advance(timedelta(seconds=RETRY_DELAYS_SECONDS[0]))
    line.deliver(delivery_id)

    log = line.log(ANN, endpoint_id)
    assert [(a.status_code, a.delivery_status) for a in log.items] == [
        (200, DeliveryStatus.DELIVERED),
        (500, DeliveryStatus.DELIVERED),
    ]
    replayed = line.replay(ANN, endpoint_id, delivery_id)
    assert (replayed.status, replayed.attempts) == (DeliveryStatus.PENDING, 0)
    assert line.deliver(delivery_id) is DeliveryOutcome.DELIVERED
    assert len(line.sender.sent) == 3


def test_only_who_manages_the_endpoint_reads_its_log_or_replays() -> None:
    line = Pipeline()
    endpoint_id = line.endpoint(ANN)
    line.event()
    line.dispatch()
    with pytest.raises(NotFound):
        line.log(BOB, endpoint_id)
    with pytest.raises(NotFound):
        line.replay(BOB, endpoint_id, line.only_delivery())
    with pytest.raises(NotFound):
        line.replay(ANN, endpoint_id, uuid4())
    assert line.log(ADMIN, endpoint_id).count == 0


def test_jitter_beyond_its_bound_is_a_bug() -> None:
    line = Pipeline(500)
    line.endpoint()
    line.event()
    line.dispatch()
    delivery = line.uow.deliveries.deliveries[line.only_delivery()]
    with pytest.raises(ValueError, match="jitter"):
        delivery.record(DeliveryOutcome.FAILED, line.clock.now(), jitter=0.5)


def test_a_lease_shorter_than_an_attempt_is_refused() -> None:
    with pytest.raises(ValueError, match="lease"):
        DispatchWebhooks(
            FakeWebhookUnitOfWork(), FixedClock(), EchoRenderer(), timedelta(seconds=5)
        )
