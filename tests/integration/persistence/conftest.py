"""The persistence tests' handle on the run's PostgreSQL database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from persistence.support import DEADLINE, Due, Store, later, new_task, new_user


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
