"""Races decided by the database: complete vs expire, sweep vs sweep, sweep vs user deletion,
refresh vs refresh.

The interleavings are forced: one transaction takes the lock and holds it, the other runs in a
thread until PostgreSQL reports it waiting for that lock, then the first commits.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.sqlalchemy.read import SqlTaskQueries
from adapters.sqlalchemy.tables import task_events, tasks
from application.errors import NotFound
from application.expiry import ExpireOverdueTasks
from application.policy import Actor
from application.ports import RefreshOutcome, TokenClaims, TokenKind
from application.tasks import AssignTask, CompleteTask
from domain.errors import InvalidTransition
from domain.task import Task
from persistence.support import (
    AFTER_DEADLINE,
    BEFORE_DEADLINE,
    DEADLINE,
    Due,
    FixedClock,
    Store,
    later,
    new_task,
    new_user,
    status_of,
    story,
    sweep_while_held,
    wait_until_someone_waits_for_a_lock,
    waited_for_locks,
)


def test_a_sweep_waits_for_a_completion_holding_the_lock_then_leaves_it(
    store: Store, due: Due
) -> None:
    def complete(task: Task) -> None:
        task.complete(actor_id=due.worker.external_id, now=BEFORE_DEADLINE)

    assert sweep_while_held(store, due, complete) == 0

    assert status_of(store, due.task) == "completed"
    assert story(store, due.task) == ["created", "assigned", "completed"]


def test_a_completion_waits_for_a_sweep_holding_the_lock_then_is_refused(
    store: Store, due: Due
) -> None:
    complete = CompleteTask(store.uow(), FixedClock(BEFORE_DEADLINE), SqlTaskQueries(store.reads))
    actor = Actor(due.worker.external_id)
    with ThreadPoolExecutor(1) as pool, store.uow() as sweeper:
        assert len(sweeper.tasks.expire_overdue(AFTER_DEADLINE)) == 1
        completing = pool.submit(complete, actor, due.task.external_id)
        wait_until_someone_waits_for_a_lock(store.engine)
        assert not completing.done()

        sweeper.commit()
        with pytest.raises(InvalidTransition):
            completing.result(timeout=10)

    assert status_of(store, due.task) == "failed"
    assert story(store, due.task) == ["created", "assigned", "expired"]


def test_a_task_whose_status_moves_while_the_sweep_waits_fails_later_from_its_new_status(
    store: Store, due: Due
) -> None:
    def start(task: Task) -> None:
        task.start(actor_id=due.worker.external_id, now=BEFORE_DEADLINE)

    # The sweep saw the task pending; "pending -> failed" is no longer true once it is started.
    assert sweep_while_held(store, due, start) == 0

    assert ExpireOverdueTasks(store.uow(), FixedClock(AFTER_DEADLINE))().failed == 1
    *_, expired = store.events_of(due.task.external_id)
    assert (expired["type"], expired["from_status"]) == ("expired", "in_progress")
    assert story(store, due.task) == ["created", "assigned", "started", "expired"]


def test_a_sweep_waits_for_a_user_deletion_holding_that_users_tasks(store: Store, due: Due) -> None:
    sweep = ExpireOverdueTasks(store.uow(), FixedClock(AFTER_DEADLINE))
    with ThreadPoolExecutor(1) as pool, store.uow() as deleting:
        [task] = deleting.tasks.open_tasks_assigned_to(due.worker.external_id)
        sweeping = pool.submit(sweep)
        wait_until_someone_waits_for_a_lock(store.engine)
        # It waits before touching any row, so it can hold none that the deletion waits for.
        assert waited_for_locks(store.engine) == ["advisory"]

        task.release(actor_id=due.worker.external_id, now=BEFORE_DEADLINE)
        deleting.commit()
        assert sweeping.result(timeout=10).failed == 1

    assert story(store, due.task) == ["created", "assigned", "unassigned", "expired"]


def test_an_assignment_racing_the_assignees_deletion_never_lands_on_a_deleted_user(
    store: Store, due: Due
) -> None:
    boss = new_user("other-boss@example.com")
    spare = new_task(boss, "spare", deadline=DEADLINE)
    store.save(boss, spare)
    assign = AssignTask(store.uow(), FixedClock(BEFORE_DEADLINE), SqlTaskQueries(store.reads))
    with ThreadPoolExecutor(1) as pool, store.uow() as deleting:
        worker = deleting.users.get(due.worker.external_id, for_update=True)
        assert worker is not None
        assigning = pool.submit(
            assign, Actor(boss.external_id), spare.external_id, due.worker.external_id
        )
        wait_until_someone_waits_for_a_lock(store.engine)

        worker.delete(now=BEFORE_DEADLINE)
        deleting.commit()
        with pytest.raises(NotFound):
            assigning.result(timeout=10)

    assert story(store, spare) == ["created"]


def test_a_second_sweep_waits_for_the_first_and_fails_nothing_twice(store: Store) -> None:
    boss = new_user()
    work = [new_task(boss, f"t{i}", deadline=DEADLINE) for i in range(20)]
    store.save(boss, *work)
    second = ExpireOverdueTasks(store.uow(), FixedClock(AFTER_DEADLINE))

    with ThreadPoolExecutor(1) as pool, store.uow() as first:
        assert len(first.tasks.expire_overdue(AFTER_DEADLINE)) == 20
        sweeping = pool.submit(second)
        wait_until_someone_waits_for_a_lock(store.engine)
        first.commit()
        assert sweeping.result(timeout=10).failed == 0

    assert len(store.rows(task_events, task_events.c.type == "expired")) == 20


def test_concurrent_sweeps_fail_and_record_each_task_exactly_once(store: Store) -> None:
    boss = new_user()
    work = [new_task(boss, f"t{i}", deadline=DEADLINE) for i in range(300)]
    store.save(boss, *work)
    start = threading.Barrier(4)

    def sweep() -> int:
        start.wait()
        return ExpireOverdueTasks(store.uow(), FixedClock(AFTER_DEADLINE))().failed

    with ThreadPoolExecutor(4) as pool:
        counts = [f.result(timeout=30) for f in [pool.submit(sweep) for _ in range(4)]]

    assert sum(counts) == 300
    expired = store.rows(task_events, task_events.c.type == "expired")
    assert len(expired) == 300
    assert len({event["task_id"] for event in expired}) == 300


def test_of_ten_concurrent_spends_of_one_refresh_token_exactly_one_is_fresh(store: Store) -> None:
    ann = new_user()
    claims = TokenClaims(ann.external_id, TokenKind.REFRESH, "tok", 0, "fam", later(3600))
    with store.uow() as uow:
        uow.users.add(ann)
        uow.logins.start("fam", ann.external_id, later(0))
        uow.refresh_tokens.add(claims)
        uow.commit()
    start = threading.Barrier(10)

    def spend() -> RefreshOutcome:
        start.wait()
        with store.uow() as uow:
            outcome = uow.refresh_tokens.spend("tok", later(5)).outcome
            uow.commit()
        return outcome

    with ThreadPoolExecutor(10) as pool:
        outcomes = [f.result(timeout=60) for f in [pool.submit(spend) for _ in range(10)]]

    assert outcomes.count(RefreshOutcome.FRESH) == 1
    assert outcomes.count(RefreshOutcome.SPENT) == 9


def test_a_locked_user_does_not_hold_up_tasks_that_merely_refer_to_them(store: Store) -> None:
    ann = new_user()
    store.save(ann)
    with ThreadPoolExecutor(1) as pool, store.uow() as holder:
        assert holder.users.get(ann.external_id, for_update=True) is not None
        creating = pool.submit(store.save, new_task(ann))
        creating.result(timeout=5)  # the foreign-key check does not wait for the user lock
        holder.commit()
    assert len(store.rows(tasks)) == 1
