"""The sweep: overdue open tasks fail, each with one `expired` event by the system."""

from __future__ import annotations

import pytest

from adapters.sqlalchemy.tables import task_events, tasks
from application.expiry import ExpireOverdueTasks
from domain.status import TaskStatus
from domain.user import User
from persistence.support import (
    FixedClock,
    Store,
    counting_statements,
    later,
    new_task,
    new_user,
    status_of,
)


@pytest.fixture
def boss(store: Store) -> User:
    boss = new_user("boss@example.com")
    store.save(boss)
    return boss


def test_overdue_open_tasks_fail_and_the_rest_stay(store: Store, boss: User) -> None:
    due_unassigned = new_task(boss, "unassigned", deadline=later(10))
    due_pending = new_task(boss, "pending", deadline=later(10))
    due_started = new_task(boss, "started", deadline=later(20))
    at_deadline = new_task(boss, "exactly now", deadline=later(30))
    not_yet = new_task(boss, "not yet", deadline=later(31))
    no_deadline = new_task(boss, "no deadline")
    done = new_task(boss, "done", deadline=later(10))
    deleted = new_task(boss, "deleted", deadline=later(10))
    for task in (due_pending, due_started, done):
        task.assign(boss.external_id, actor_id=boss.external_id, now=later(1))
    due_started.start(actor_id=boss.external_id, now=later(2))
    done.complete(actor_id=boss.external_id, now=later(2))
    deleted.delete(actor_id=boss.external_id, now=later(2))
    store.save(due_unassigned, due_pending, due_started, at_deadline, not_yet, no_deadline, done)
    store.save(deleted)

    report = ExpireOverdueTasks(store.uow(), FixedClock(later(30)))()

    assert report.failed == 4
    assert sorted(report.lags_seconds) == [0.0, 10.0, 20.0, 20.0]  # now - each deadline
    assert {t.name: status_of(store, t) for t in (due_unassigned, due_pending, due_started)} == {
        "unassigned": "failed",
        "pending": "failed",
        "started": "failed",
    }
    assert status_of(store, at_deadline) == "failed"
    assert status_of(store, not_yet) == "unassigned"
    assert status_of(store, no_deadline) == "unassigned"
    assert status_of(store, done) == "completed"
    assert status_of(store, deleted) == "unassigned"


def test_each_failed_task_gets_one_expired_event_by_the_system(store: Store, boss: User) -> None:
    pending = new_task(boss, "pending", deadline=later(10))
    pending.assign(boss.external_id, actor_id=boss.external_id, now=later(1))
    lonely = new_task(boss, "lonely", deadline=later(10))
    store.save(pending, lonely)

    ExpireOverdueTasks(store.uow(), FixedClock(later(15)))()

    expired = store.rows(task_events, task_events.c.type == "expired")
    assert sorted((e["task_id"], e["from_status"]) for e in expired) == sorted(
        [(pending.external_id, "pending"), (lonely.external_id, "unassigned")]
    )
    assert all(e["actor_id"] is None for e in expired)
    assert all(e["to_status"] == "failed" for e in expired)
    assert all(e["at"] == later(15) and e["changes"] == {} for e in expired)
    [row] = store.rows(tasks, tasks.c.external_id == lonely.external_id)
    assert row["updated_at"] == later(15)


def test_failing_moves_the_version_on_and_only_of_the_tasks_that_failed(
    store: Store, boss: User
) -> None:
    due, not_yet = new_task(boss, "due", deadline=later(10)), new_task(boss, "not yet")
    store.save(due, not_yet)

    ExpireOverdueTasks(store.uow(), FixedClock(later(30)))()

    versions = {row["name"]: row["version"] for row in store.rows(tasks)}
    assert versions == {"due": due.version + 1, "not yet": not_yet.version}


def test_the_sweep_is_idempotent(store: Store, boss: User) -> None:
    store.save(*(new_task(boss, f"t{i}", deadline=later(10)) for i in range(5)))
    sweep = ExpireOverdueTasks(store.uow(), FixedClock(later(11)))

    assert sweep().failed == 5
    assert sweep().failed == 0
    assert len(store.rows(task_events, task_events.c.type == "expired")) == 5


def test_a_rolled_back_sweep_leaves_no_trace(store: Store, boss: User) -> None:
    task = new_task(boss, deadline=later(10))
    store.save(task)

    with store.uow() as uow:
        assert len(uow.tasks.expire_overdue(later(11))) == 1

    assert status_of(store, task) == "unassigned"
    assert store.rows(task_events, task_events.c.type == "expired") == []


def test_the_sweep_is_set_based_whatever_the_number_of_tasks(store: Store, boss: User) -> None:
    store.save(*(new_task(boss, f"t{i}", deadline=later(10)) for i in range(200)))

    with counting_statements(store.engine) as statements, store.uow() as uow:
        failed = len(uow.tasks.expire_overdue(later(11)))
        uow.commit()

    assert failed == 200
    sweep = [s for s in statements if "task_events" in s or "UPDATE tasks" in s]
    assert len(sweep) == 1  # one data-modifying CTE fails the tasks and writes their events
    assert len(store.rows(task_events, task_events.c.type == "expired")) == 200


def test_a_task_changed_then_swept_in_one_unit_keeps_both_changes(store: Store, boss: User) -> None:
    task = new_task(boss, deadline=later(10))
    store.save(task)

    with store.uow() as uow:
        loaded = uow.tasks.get(task.external_id, for_update=True)
        assert loaded is not None
        loaded.assign(boss.external_id, actor_id=boss.external_id, now=later(5))
        uow.commit()
    ExpireOverdueTasks(store.uow(), FixedClock(later(11)))()

    assert [(e["type"], e["from_status"]) for e in store.events_of(task.external_id)] == [
        ("created", None),
        ("assigned", "unassigned"),
        ("expired", "pending"),
    ]
    assert status_of(store, task) == TaskStatus.FAILED.value
