"""Integration fixtures: a real PostgreSQL database made for this run, and a Redis database.

A missing service is an error, never a skip: CI must not go green without having run these.
Override the services with ``TEST_DATABASE_ADMIN_URL`` (a database we may CREATE DATABASE from)
and ``TEST_REDIS_URL`` (a Redis database number of our own: it is flushed before each test).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import Engine, create_engine, make_url, text

from adapters.sqlalchemy import migrations
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.tables import ALL_TABLES

ADMIN_URL = os.environ.get("TEST_DATABASE_ADMIN_URL", "postgresql://root@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
_HERE = Path(__file__).resolve().parent
_DATABASE_FIXTURES = {"database_url", "engine"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.integration)


def _admin_engine() -> Engine:
    url = make_url(ADMIN_URL)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg2")
    return create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database for this run, at the head migration; dropped at the end."""
    name = f"task_assigner_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine()
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        raise RuntimeError(
            f"PostgreSQL is needed for the integration tests ({ADMIN_URL}): {error}"
        ) from error
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        migrations.upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_database(request: pytest.FixtureRequest) -> None:
    """Every test that touches the database starts from empty tables."""
    if not _DATABASE_FIXTURES & set(request.fixturenames):
        return
    engine: Engine = request.getfixturevalue("engine")
    names = ", ".join(table.name for table in ALL_TABLES)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A Redis database of our own, emptied before each test (only that one: never FLUSHALL)."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as error:
        raise RuntimeError(
            f"Redis is needed for the integration tests ({REDIS_URL}): {error}"
        ) from error
    client.flushdb()
    try:
        yield REDIS_URL
    finally:
        client.close()
