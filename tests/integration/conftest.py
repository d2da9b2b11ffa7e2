"""Integration fixtures: a real PostgreSQL database made for this run, and a Redis database.

The servers are those ``task-assigner run`` starts (:mod:`entrypoints.devrun`), started once
for the run in a temporary folder and stopped at its end, so that a machine with only Python
runs every test. ``TEST_DATABASE_ADMIN_URL`` (a database we may CREATE DATABASE from) and
``TEST_REDIS_URL`` (a Redis database number of our own: it is flushed before each test) use
servers of yours instead. A server that cannot start or be reached is an error, never a skip:
CI must not go green without having run these.
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
from entrypoints.devrun.redis_server import EmbeddedRedis
from integration.servers import own_postgres

_HERE = Path(__file__).resolve().parent
_DATABASE_FIXTURES = {"database_url", "engine"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def admin_url() -> Iterator[str]:
    """``TEST_DATABASE_ADMIN_URL``, or the maintenance database of an embedded server."""
    given = os.environ.get("TEST_DATABASE_ADMIN_URL")
    if given:
        yield given
        return
    with own_postgres() as server:
        yield server.url()


@pytest.fixture(scope="session")
def redis_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``TEST_REDIS_URL``, or an embedded Redis server of the run's own."""
    given = os.environ.get("TEST_REDIS_URL")
    if given:
        yield given
        return
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    try:
        yield server.start()
    finally:
        server.stop()


def _admin_engine(admin_url: str) -> Engine:
    url = make_url(admin_url)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg2")
    return create_engine(url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)


@pytest.fixture(scope="session")
def database_url(admin_url: str) -> Iterator[str]:
    """A fresh database for this run, at the head migration; dropped at the end."""
    name = f"task_assigner_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_engine(admin_url)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        admin.dispose()
        raise RuntimeError(
            f"PostgreSQL is needed for the integration tests ({admin_url}): {error}"
        ) from error
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        migrations.upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def blank_database_url(database_url: str) -> Iterator[str]:
    """An empty database of the test's own, on the run's server: one nobody migrated."""
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    admin = create_engine(
        make_url(database_url).set(drivername="postgresql+psycopg2", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
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
def redis_url(redis_server_url: str) -> Iterator[str]:
    """A Redis database of our own, emptied before each test (only that one: never FLUSHALL)."""
    client = Redis.from_url(redis_server_url, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as error:
        raise RuntimeError(
            f"Redis is needed for the integration tests ({redis_server_url}): {error}"
        ) from error
    client.flushdb()
    try:
        yield redis_server_url
    finally:
        client.close()
