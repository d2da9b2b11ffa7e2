"""Each persistence test runs on PostgreSQL and, where marked so, also on a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from adapters.sqlalchemy import migrations
from adapters.sqlalchemy.engine import make_engine
from persistence.support import Store


@pytest.fixture(params=["postgresql", "sqlite"])
def store(request: pytest.FixtureRequest, engine: Engine, tmp_path: Path) -> Iterator[Store]:
    """The PostgreSQL database of the run (emptied before the test), or a fresh SQLite file
    built by the same migrations."""
    if request.param == "postgresql":
        yield Store("postgresql", engine, sessionmaker(bind=engine, expire_on_commit=False))
        return
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    migrations.upgrade(url)
    sqlite_engine = make_engine(url)
    try:
        yield Store(
            "sqlite", sqlite_engine, sessionmaker(bind=sqlite_engine, expire_on_commit=False)
        )
    finally:
        sqlite_engine.dispose()


@pytest.fixture
def pg(engine: Engine) -> Store:
    """PostgreSQL only: for what SQLite cannot show (row locks between real connections)."""
    return Store("postgresql", engine, sessionmaker(bind=engine, expire_on_commit=False))
