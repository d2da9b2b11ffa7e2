"""The transactional outbox: an event row exists exactly when its change committed — for the
commands through the repository, and for the expiry sweep's own statement."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapters.sqlalchemy.outbox import snapshot
from adapters.sqlalchemy.tables import webhook_outbox
from application.expiry import ExpireOverdueTasks
from domain.status import WebhookEventType
from domain.user import User
from persistence.support import FixedClock, Store, later, new_task, new_user


@pytest.fixture
def boss(store: Store) -> User:
    boss = new_user("boss@example.com")
    store.save(boss)
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
