"""The persistence tests' handle on the run's PostgreSQL database."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from persistence.support import Store


@pytest.fixture
def store(engine: Engine) -> Store:
    """The database of the run, emptied before the test."""
    return Store(engine, sessionmaker(bind=engine, expire_on_commit=False))
