"""The transactional outbox: an event row exists exactly when its change committed — for the
commands through the repository, and for the expiry sweep's own statement — and only while an
enabled endpoint listens for its type."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapters.sqlalchemy.outbox import snapshot
from adapters.sqlalchemy.tables import task_events, webhook_outbox
from application.expiry import ExpireOverdueTasks
from domain.status import WebhookEventType
from domain.user import User
from persistence.support import FixedClock, Store, endpoint_of, later, new_task, new_user


@pytest.fixture
def boss(store: Store) -> User:
    """An admin with an endpoint listening for every event."""
    boss = new_user("boss@example.com", is_admin=True)
    store.save(boss)
    endpoint_of(store, boss)
    return boss


def _outbox(store: Store) -> list[tuple[str, str]]:
    rows = store.rows(webhook_outbox)
    return sorted((str(row["type"]), str(row["task"]["name"])) for row in rows)


def test_each_delivered_task_event_is_written_to_the_outbox_with_its_change(
    store: Store, boss: User
) -> None:
    task = new_task(boss, "Report", deadline=later(100))
    task.assign(boss.external_id, actor_id=boss.external_id, now=later(1))
    task.start(actor_id=boss.external_id, now=later(2))
    task.edit(actor_id=boss.external_id, now=later(3), name="Report, final")
    store.save(task)

    rows = sorted(store.rows(webhook_outbox), key=lambda row: row["occurred_at"])

    # The edit stays in the history only; the rest are webhook events, by their actor.
    assert [row["type"] for row in rows] == ["task.created", "task.assigned", "task.started"]
    assert {row["actor_id"] for row in rows} == {boss.external_id}
    assert rows[0]["task"] == snapshot(task)
    assert all(row["dispatched_at"] is None for row in rows)


def test_a_change_rolled_back_leaves_no_event_in_the_outbox(store: Store, boss: User) -> None:
    with store.uow() as uow:
        uow.tasks.add(new_task(boss, "Never"))
        # no commit: the block rolls back

    assert store.rows(webhook_outbox) == []


def test_the_expiry_sweep_writes_a_task_expired_event_by_the_system_in_its_statement(
    store: Store, boss: User
) -> None:
    due = new_task(boss, "Due", deadline=later(10))
    not_yet = new_task(boss, "Not yet", deadline=later(60))
    store.save(due, not_yet)

    ExpireOverdueTasks(store.uow(), FixedClock(later(30)))()
    ExpireOverdueTasks(store.uow(), FixedClock(later(31)))()  # idempotent: nothing more

    expired = store.rows(webhook_outbox, webhook_outbox.c.type == WebhookEventType.TASK_EXPIRED)
    assert len(expired) == 1
    [row] = expired
    assert row["actor_id"] is None
    assert row["occurred_at"] == later(30)
    assert row["task"]["status"] == "failed"
    assert row["task"]["name"] == "Due"
    assert "reminded_for" not in row["task"]
    assert "from_status" not in row["task"]
    assert set(row["task"]) == set(snapshot(due))
    assert datetime.fromisoformat(row["task"]["deadline"]) == later(10)


def _one_of_each(store: Store, owner: User) -> None:
    """A command's events (created, assigned) and the sweep's (expired)."""
    task = new_task(owner, "Due", deadline=later(10))
    task.assign(owner.external_id, actor_id=owner.external_id, now=later(1))
    store.save(task)
    ExpireOverdueTasks(store.uow(), FixedClock(later(30)))()


def test_without_a_listening_endpoint_nothing_is_written_to_the_outbox(store: Store) -> None:
    owner = new_user("owner@example.com")
    store.save(owner)
    endpoint_of(store, owner, enabled=False)

    _one_of_each(store, owner)

    assert store.rows(webhook_outbox) == []
    assert len(store.rows(task_events)) == 3  # the history keeps every change all the same


def test_only_the_types_an_endpoint_listens_for_are_written(store: Store) -> None:
    owner = new_user("owner@example.com")
    store.save(owner)
    endpoint_of(store, owner, frozenset({WebhookEventType.TASK_EXPIRED}))
    endpoint_of(store, owner, frozenset({WebhookEventType.TASK_CREATED}), enabled=False)

    _one_of_each(store, owner)

    assert _outbox(store) == [("task.expired", "Due")]
