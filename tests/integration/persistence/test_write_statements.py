"""A unit of work writes a task's change, its history and its outbox rows in one statement;
more tasks than one statement takes go out in several, none of them lost."""

from __future__ import annotations

from adapters.sqlalchemy.combined import WRITES_PER_STATEMENT
from adapters.sqlalchemy.tables import task_events, tasks, webhook_outbox
from domain.status import TaskStatus, WebhookEventType
from persistence.support import (
    Store,
    counting_statements,
    endpoint_of,
    later,
    new_task,
    new_user,
)


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.lstrip().upper().startswith(("SELECT", "COMMIT"))]


def test_a_new_task_its_history_and_its_outbox_row_are_one_statement(store: Store) -> None:
    boss = new_user("boss@example.com", is_admin=True)
    store.save(boss)
    endpoint_of(store, boss, frozenset({WebhookEventType.TASK_CREATED}))
    task = new_task(boss, "Report")

    with counting_statements(store.engine) as statements, store.uow() as uow:
        uow.tasks.add(task)
        uow.commit()

    assert len(_writes(statements)) == 1, statements
    assert [row["name"] for row in store.rows(tasks)] == ["Report"]
    assert [row["type"] for row in store.events_of(task.external_id)] == ["created"]
    assert [row["type"] for row in store.rows(webhook_outbox)] == ["task.created"]


def test_a_change_of_a_stored_task_is_one_statement_and_writes_only_what_is_listened(
    store: Store,
) -> None:
    boss, worker = new_user("boss@example.com", is_admin=True), new_user("worker@example.com")
    task = new_task(boss, "Report")
    store.save(boss, worker, task)
    endpoint_of(store, boss, frozenset({WebhookEventType.TASK_STARTED}))

    with counting_statements(store.engine) as statements, store.uow() as uow:
        loaded = uow.tasks.get(task.external_id, for_update=True)
        assert loaded is not None
        loaded.assign(worker.external_id, actor_id=boss.external_id, now=later(1))
        uow.commit()

    assert len(_writes(statements)) == 1, statements
    [row] = store.rows(tasks)
    assert (row["status"], row["assigned_to"]) == (TaskStatus.PENDING.value, worker.external_id)
    assert [e["type"] for e in store.events_of(task.external_id)] == ["created", "assigned"]
    assert store.rows(webhook_outbox) == []  # nobody listens for task.assigned


def test_more_tasks_than_one_statement_takes_are_all_written(store: Store) -> None:
    boss, worker = new_user("boss@example.com", is_admin=True), new_user("worker@example.com")
    count = WRITES_PER_STATEMENT * 2 + 7
    work = [new_task(boss, f"task {i}") for i in range(count)]
    store.save(boss, worker, *work)
    endpoint_of(store, boss, frozenset({WebhookEventType.TASK_ASSIGNED}))

    with counting_statements(store.engine) as statements, store.uow() as uow:
        for task in work:
            loaded = uow.tasks.get(task.external_id, for_update=True)
            assert loaded is not None
            loaded.assign(worker.external_id, actor_id=boss.external_id, now=later(1))
        uow.commit()

    # Each task a part, the history one part, each outbox row a part.
    parts = count + 1 + count
    assert len(_writes(statements)) == -(-parts // WRITES_PER_STATEMENT)
    assert {row["assigned_to"] for row in store.rows(tasks)} == {worker.external_id}
    assert len(store.rows(task_events, task_events.c.type == "assigned")) == count
    assert len(store.rows(webhook_outbox)) == count
