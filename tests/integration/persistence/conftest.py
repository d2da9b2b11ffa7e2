"""The persistence tests' handle on the run's PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from adapters.sqlalchemy.engine import make_engine
from persistence.support import DEADLINE, Due, Store, later, new_task, new_user


@pytest.fixture
def own_engine(database_url: str) -> Iterator[Engine]:
    """An engine of the test's own: its pool and its preparer start empty, and a connection it
    pools is the one it lends next."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def store(engine: Engine) -> Store:
    """The database of the run, emptied before the test."""
    return Store(engine)


@pytest.fixture
def due(store: Store) -> Due:
    """A boss's task, assigned to a worker, due at DEADLINE; both users stored."""
    boss, worker = new_user("boss@example.com"), new_user("worker@example.com")
    task = new_task(boss, deadline=DEADLINE)
    task.assign(worker.external_id, actor_id=boss.external_id, now=later(1))
    store.save(boss, worker, task)
    return Due(worker, task)
