"""Nothing is lost: webhook deliveries survive a worker killed in the middle of one, Redis
emptied under the queue, and the workers stopped for a while — real `task-assigner` worker and
scheduler processes, delivering to a real HTTP receiver. PostgreSQL holds what is still to be
sent; Redis only carries the work, so each of these only delays a delivery."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis
from sqlalchemy import select

from adapters.sqlalchemy.tables import webhook_outbox
from application.policy import Actor
from domain.status import WebhookEventType
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from integration.ops.support import SECRET, Start, wait_until, worker_is_listening
from integration.receiver import Receiver, running_receiver

WEBHOOK_QUEUE_KEY = "rq:queue:task-assigner-webhooks"
#: Short, so that a lost job is queued again within the test (it must outlast the 10 s timeout).
LEASE_SECONDS = 11


@pytest.fixture
def env(ops_env: dict[str, str]) -> dict[str, str]:
    return {
        **ops_env,
        "WEBHOOK_ALLOW_PRIVATE": "1",
        "WEBHOOK_LEASE_SECONDS": str(LEASE_SECONDS),
    }


@pytest.fixture
def app(database_url: str, redis_url: str) -> Iterator[Container]:
    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        jwt_secret=SECRET,
        bcrypt_rounds=4,
        webhook_allow_private=True,
    )
    container = build_container(settings)
    yield container
    container.engine().dispose()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as receiver:
        yield receiver


def subscribe(app: Container, actor: Actor, receiver: Receiver) -> None:
    app.create_webhook()(actor, url=receiver.url, event_types=frozenset(WebhookEventType))


def make_events(app: Container, actor: Actor, count: int) -> None:
    for n in range(count):
        app.create_task()(actor, name=f"Event {n}")


def every_message_id(app: Container) -> set[str]:
    with app.engine().connect() as connection:
        ids = connection.execute(select(webhook_outbox.c.id)).scalars()
        return {f"msg_{event_id.hex}" for event_id in ids}


def all_delivered(app: Container, receiver: Receiver) -> bool:
    expected = every_message_id(app)
    return bool(expected) and expected <= set(receiver.ids())


def test_a_worker_killed_in_the_middle_of_a_delivery_loses_nothing(
    app: Container, admin: Actor, receiver: Receiver, start: Start, env: dict[str, str],
    redis: Redis[bytes],
) -> None:  # fmt: skip
    subscribe(app, admin, receiver)
    receiver.delays = [60.0]  # the first call hangs: the worker dies while it waits
    start("scheduler", env=env)
    worker = start("worker", env=env)
    make_events(app, admin, 1)
    wait_until(lambda: receiver.arrived >= 1, 20, "the first delivery to reach the receiver")

    worker.stop(signal.SIGKILL)
    start("worker", env=env)

    # The hanging call never completes a delivery (it answers after the test's timeout), so
    # the message arrives only because the lease ran out and the delivery was queued again.
    wait_until(lambda: all_delivered(app, receiver), 30, "the delivery, made again")
    assert receiver.arrived >= 2


def test_redis_emptied_under_queued_deliveries_loses_nothing(
    app: Container, admin: Actor, receiver: Receiver, start: Start, env: dict[str, str],
    redis: Redis[bytes],
) -> None:  # fmt: skip
    subscribe(app, admin, receiver)
    receiver.delays = [4.0]  # the worker is busy with the first; the others wait in Redis
    start("scheduler", env=env)
    start("worker", env=env)
    make_events(app, admin, 3)
    wait_until(lambda: redis.llen(WEBHOOK_QUEUE_KEY) >= 1, 15, "deliveries queued in Redis")

    redis.flushdb()  # the queued jobs, and the scheduler's own entries, are gone

    wait_until(lambda: all_delivered(app, receiver), 40, "every delivery after the flush")
    assert len(every_message_id(app)) == 3


def test_workers_stopped_for_a_while_deliver_every_event_when_they_come_back(
    app: Container, admin: Actor, receiver: Receiver, start: Start, env: dict[str, str],
    redis: Redis[bytes],
) -> None:  # fmt: skip
    subscribe(app, admin, receiver)
    start("scheduler", env=env)
    worker = start("worker", env=env)
    wait_until(lambda: worker_is_listening(redis), 15, "the worker")
    make_events(app, admin, 2)
    wait_until(lambda: all_delivered(app, receiver), 15, "the first deliveries")
    worker.stop()
    receiver.status = 503  # and the receiver is down too, for good measure

    make_events(app, admin, 3)
    start("worker", env=env).stop()  # a worker that comes and goes changes nothing
    receiver.status = 204
    start("worker", "--queue", "sweeps", env=env)  # as a deployment would split them
    start("worker", "--queue", "webhooks", env=env)

    wait_until(lambda: all_delivered(app, receiver), 40, "every event, once workers are back")
    assert len(every_message_id(app)) == 5


def test_a_reminder_arrives_once_before_the_deadline(
    app: Container, admin: Actor, receiver: Receiver, start: Start, env: dict[str, str]
) -> None:
    subscribe(app, admin, receiver)
    start("scheduler", env={**env, "REMINDER_INTERVAL_SECONDS": "1"})
    start("worker", env=env)
    deadline = datetime.now(UTC) + timedelta(seconds=20)
    app.create_task()(admin, name="Due soon", deadline=deadline, remind_before_seconds=15)

    def reminders() -> list[str]:
        return [t for t in receiver.types() if t == WebhookEventType.TASK_DEADLINE_APPROACHING]

    wait_until(lambda: reminders(), 15, "the reminder")
    arrived = datetime.now(UTC)
    assert deadline - timedelta(seconds=15) <= arrived < deadline
    time.sleep(4)  # a few more sweeps: none reminds that deadline again
    assert len(reminders()) == 1
