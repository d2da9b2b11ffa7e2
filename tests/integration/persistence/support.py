"""Builders and a store handle shared by the persistence tests."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Engine, Table, event, select, text

from adapters.sqlalchemy.enclosing import EnclosingTransactions
from adapters.sqlalchemy.tables import task_events, tasks
from adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from application.expiry import ExpireOverdueTasks
from domain.status import TaskType, WebhookEventType
from domain.task import Task
from domain.user import Email, User
from domain.webhooks import WebhookEndpoint

#: A fixed "now" for tests: timestamps are passed in, never read from the wall clock.
T0 = datetime(2031, 3, 4, 12, 0, 0, 123456, tzinfo=UTC)


class FixedClock:
    def __init__(self, now: datetime = T0) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


@dataclass
class Store:
    """The database under test and the ways to reach it."""

    engine: Engine

    def uow(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self.reads.unit)

    @property
    def reads(self) -> EnclosingTransactions:
        """Where the read side reads, as the service wires it."""
        return EnclosingTransactions(self.engine)

    def save(self, *aggregates: User | Task) -> None:
        with self.uow() as uow:
            for aggregate in aggregates:
                if isinstance(aggregate, User):
                    uow.users.add(aggregate)
                else:
                    uow.tasks.add(aggregate)
            uow.commit()

    def rows(self, table: Table, *where: Any) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            found = connection.execute(select(table).where(*where)).mappings()
            return [dict(row) for row in found]

    def events_of(self, task_id: UUID) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            found = connection.execute(
                select(task_events)
                .where(task_events.c.task_id == task_id)
                .order_by(task_events.c.id)
            ).mappings()
            return [dict(row) for row in found]


def new_user(
    email: str = "ann@example.com", name: str = "Ann", now: datetime = T0, **kwargs: Any
) -> User:
    return User.register(
        email=Email(email), name=name, password_hash="hash:" + email, now=now, **kwargs
    )


def new_task(
    creator: User,
    name: str = "Write the report",
    now: datetime = T0,
    deadline: datetime | None = None,
    type: TaskType = TaskType.NORMAL,
) -> Task:
    return Task.create(
        name=name, created_by=creator.external_id, now=now, deadline=deadline, type=type
    )


def endpoint_of(
    store: Store,
    owner: User,
    types: frozenset[WebhookEventType] = frozenset(WebhookEventType),
    *,
    enabled: bool = True,
) -> UUID:
    """A webhook endpoint of ``owner``'s, listening for ``types``; its id."""
    endpoint = WebhookEndpoint.create(
        owner_id=owner.external_id,
        url="https://hooks.example.com/in",
        event_types=types,
        secret="whsec_c2VjcmV0",
        now=later(0),
        enabled=enabled,
    )
    with store.uow() as uow:
        uow.webhooks.add(endpoint)
        uow.commit()
    return endpoint.id


def later(seconds: float, base: datetime = T0) -> datetime:
    return base + timedelta(seconds=seconds)


@contextmanager
def counting_statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement sent to ``engine`` inside the block (executemany counts once)."""
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


#: A task due at DEADLINE, and instants on either side of it, for races around the sweep.
BEFORE_DEADLINE, DEADLINE, AFTER_DEADLINE = later(59), later(60), later(61)


@dataclass
class Due:
    """A task assigned to ``worker``, due at DEADLINE (see the ``due`` fixture)."""

    worker: User
    task: Task


def story(store: Store, task: Task) -> list[str]:
    """The types of the task's events, oldest first."""
    return [str(event["type"]) for event in store.events_of(task.external_id)]


def status_of(store: Store, task: Task) -> str:
    [row] = store.rows(tasks, tasks.c.external_id == task.external_id)
    return str(row["status"])


def wait_until_someone_waits_for_a_lock(engine: Engine, timeout: float = 10.0) -> None:
    """Poll until another session of this database is blocked on a lock (a new transaction
    per poll: pg_stat_activity is a snapshot within one)."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        with engine.connect() as connection:
            if connection.execute(query).scalar_one() > 0:
                return
        time.sleep(0.02)
    raise AssertionError("nobody waited for the lock: the interleaving was not forced")


def waited_for_locks(engine: Engine) -> list[str]:
    query = text(
        "SELECT wait_event FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with engine.connect() as connection:
        return list(connection.execute(query).scalars())


def sweep_while_held(store: Store, due: Due, change: Callable[[Task], None]) -> int:
    """Force the interleaving: lock the due task, start a sweep and let it wait for the row,
    apply ``change`` to the task and commit. How many tasks the sweep failed."""
    sweep = ExpireOverdueTasks(store.uow(), FixedClock(AFTER_DEADLINE))
    with ThreadPoolExecutor(1) as pool, store.uow() as holder:
        task = holder.tasks.get(due.task.external_id, for_update=True)
        assert task is not None
        sweeping = pool.submit(sweep)
        wait_until_someone_waits_for_a_lock(store.engine)
        assert not sweeping.done()

        change(task)
        holder.commit()
        return sweeping.result(timeout=10).failed
