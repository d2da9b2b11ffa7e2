"""A sweep that waited for a task's row fails it only if the row, as committed, is still due.

The sweep picks its tasks from its snapshot, then waits for each row that a transaction holds;
PostgreSQL re-checks the UPDATE's own conditions against the row that transaction committed.
Every change that makes a task no longer due must therefore be among those conditions. Each
interleaving is forced: a transaction holds the row, the sweep starts and waits for it, then
the change commits.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text

from application.expiry import ExpireOverdueTasks
from domain.task import Task
from persistence.support import (
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    Due,
    FixedClock,
    Store,
    later,
    status_of,
    story,
    sweep_while_held,
    wait_until_someone_waits_for_a_lock,
)


def test_a_deadline_extended_while_the_sweep_waits_keeps_the_task_open(
    store: Store, due: Due
) -> None:
    def extend(task: Task) -> None:
        task.edit(actor_id=due.worker.external_id, now=BEFORE_DEADLINE, deadline=later(3600))

    assert sweep_while_held(store, due, extend) == 0

    assert status_of(store, due.task) == "pending"
    assert story(store, due.task) == ["created", "assigned", "edited"]


def test_a_deadline_moved_but_still_passed_while_the_sweep_waits_still_fails_it(
    store: Store, due: Due
) -> None:
    def nudge(task: Task) -> None:
        task.edit(actor_id=due.worker.external_id, now=BEFORE_DEADLINE, deadline=later(60.5))

    assert sweep_while_held(store, due, nudge) == 1

    assert status_of(store, due.task) == "failed"
    assert story(store, due.task) == ["created", "assigned", "edited", "expired"]


def test_a_task_deleted_while_the_sweep_waits_is_not_failed(store: Store, due: Due) -> None:
    def delete(task: Task) -> None:
        task.delete(actor_id=due.worker.external_id, now=BEFORE_DEADLINE)

    assert sweep_while_held(store, due, delete) == 0

    assert status_of(store, due.task) == "pending"
    assert story(store, due.task) == ["created", "assigned", "deleted"]


def test_a_deadline_removed_while_the_sweep_waits_keeps_the_task_open(
    store: Store, due: Due
) -> None:
    # The domain has no way to drop a deadline yet; the statement must still see it go.
    sweep = ExpireOverdueTasks(store.uow(), FixedClock(AFTER_DEADLINE))
    with ThreadPoolExecutor(1) as pool, store.engine.connect() as holder:
        holder.execute(
            text("UPDATE tasks SET deadline = NULL WHERE external_id = :id"),
            {"id": due.task.external_id},
        )
        sweeping = pool.submit(sweep)
        wait_until_someone_waits_for_a_lock(store.engine)
        holder.commit()
        assert sweeping.result(timeout=10).failed == 0

    assert status_of(store, due.task) == "pending"
