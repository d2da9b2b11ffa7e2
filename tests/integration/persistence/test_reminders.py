"""The reminder sweep: one `task.deadline_approaching` event per deadline, set-based and
idempotent; a moved deadline is reminded again, a finished task never."""

from __future__ import annotations

import pytest

from adapters.sqlalchemy.tables import webhook_outbox
from application.reminders import RemindDeadlines
from domain.status import WebhookEventType
from domain.user import User
from persistence.support import FixedClock, Store, endpoint_of, later, new_task, new_user

HOUR = 3600


@pytest.fixture
def boss(store: Store) -> User:
    boss = new_user("boss@example.com")
    store.save(boss)
    endpoint_of(store, boss)  # reminders are kept for a listening endpoint only
    return boss


def remind(store: Store, at: float) -> int:
    return RemindDeadlines(store.uow(), FixedClock(later(at)), HOUR)()


def reminded(store: Store) -> list[str]:
    rows = store.rows(
        webhook_outbox, webhook_outbox.c.type == WebhookEventType.TASK_DEADLINE_APPROACHING
    )
    return sorted(str(row["task"]["name"]) for row in rows)


def test_a_task_is_reminded_once_when_its_reminder_time_comes(store: Store, boss: User) -> None:
    store.save(new_task(boss, "Soon", deadline=later(2 * HOUR)))

    assert remind(store, HOUR - 1) == 0
    assert remind(store, HOUR) == 1
    assert remind(store, HOUR + 1) == 0  # idempotent: once per deadline
    assert reminded(store) == ["Soon"]


def test_each_task_may_set_how_long_before_it_is_reminded(store: Store, boss: User) -> None:
    short = new_task(boss, "Short", deadline=later(2 * HOUR))
    short.edit(actor_id=boss.external_id, now=later(1), remind_before_seconds=60)
    store.save(short, new_task(boss, "Default", deadline=later(2 * HOUR)))

    remind(store, HOUR)
    assert reminded(store) == ["Default"]
    remind(store, 2 * HOUR - 60)
    assert reminded(store) == ["Default", "Short"]


def test_a_moved_deadline_is_reminded_again(store: Store, boss: User) -> None:
    task = new_task(boss, "Moved", deadline=later(2 * HOUR))
    store.save(task)
    remind(store, HOUR)

    with store.uow() as uow:
        moved = uow.tasks.get(task.external_id, for_update=True)
        assert moved is not None
        moved.edit(actor_id=boss.external_id, now=later(HOUR + 1), deadline=later(5 * HOUR))
        uow.commit()

    assert remind(store, 2 * HOUR) == 0
    assert remind(store, 4 * HOUR) == 1
    assert reminded(store) == ["Moved", "Moved"]


def test_a_task_finished_before_its_reminder_gets_none(store: Store, boss: User) -> None:
    task = new_task(boss, "Done early", deadline=later(2 * HOUR))
    task.assign(boss.external_id, actor_id=boss.external_id, now=later(1))
    task.complete(actor_id=boss.external_id, now=later(2))
    deleted = new_task(boss, "Deleted", deadline=later(2 * HOUR))
    deleted.delete(actor_id=boss.external_id, now=later(2))
    store.save(task, deleted)

    assert remind(store, HOUR + 1) == 0


def test_a_task_past_its_deadline_is_not_reminded(store: Store, boss: User) -> None:
    store.save(new_task(boss, "Late", deadline=later(10)))

    assert remind(store, 20) == 0


def test_the_reminder_leaves_the_tasks_version_alone(store: Store, boss: User) -> None:
    task = new_task(boss, "Versioned", deadline=later(2 * HOUR))
    store.save(task)
    remind(store, HOUR)

    with store.uow() as uow:
        stored = uow.tasks.get(task.external_id)
        assert stored is not None
        assert stored.version == task.version
        assert stored.updated_at == task.updated_at
