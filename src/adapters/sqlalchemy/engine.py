"""Engines for the two supported databases, configured so both behave alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

#: How long a SQLite writer waits for another one before giving up (the API, the worker and
#: the scheduler share one file in the embedded setup).
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0
#: How long opening a PostgreSQL connection may take before the request fails.
PG_CONNECT_TIMEOUT_SECONDS = 5
#: Execution option read by the SQLite ``BEGIN`` hook (a ``BEGIN`` mode, or :data:`LAZY`).
SQLITE_BEGIN = "sqlite_begin"
#: No ``BEGIN`` up front: the unit of work reads in autocommit and opens its transaction with
#: :func:`take_write_lock` at its first lock or write.
LAZY = "lazy"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; connects nothing until first used."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; we ship psycopg2.
            parsed = parsed.set(drivername="postgresql+psycopg2")
        # Aware timestamps come back in the session's zone: make it UTC whatever the server says.
        connect_args["options"] = "-c timezone=UTC"
        # A server that does not answer must fail a request quickly (a JSON 503), not hang it.
        connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_SECONDS
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)


def _sqlite_engine(url: URL) -> Engine:
    database = url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        # One engine serves the web threads: connections may move between threads.
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling would BEGIN lazily and deferred; we emit BEGIN
    # ourselves (see _begin_sqlite_transaction) so the unit of work can ask for IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        # Readers do not block the writer and vice versa: several processes share the file.
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    if mode != LAZY:
        # Straight to the driver, as psycopg2 sends its implicit BEGIN: a transaction marker,
        # not a query (statement counters listening to cursor events do not see it either way).
        connection.connection.dbapi_connection.execute(f"BEGIN {mode}")


def take_write_lock(session: Session) -> None:
    """SQLite's stand-in for ``SELECT ... FOR UPDATE``: take the database's one write lock
    (waiting for it, up to the busy timeout) unless this unit already holds it.

    Why not simply ``BEGIN IMMEDIATE`` for every unit of work: a unit would then hold the lock
    while it only reads (a login's bcrypt check), and a write on another connection from
    inside it (the login throttle) would wait for itself. Why not a deferred ``BEGIN``: in WAL
    mode a transaction that read and then wants to write fails outright (SQLITE_BUSY_SNAPSHOT)
    if anyone wrote since its first read. Locking at the first lock or write avoids both;
    reads before it see committed data, as under PostgreSQL's READ COMMITTED. No-op elsewhere.
    """
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver_connection = connection.connection.dbapi_connection
    assert driver_connection is not None
    if not driver_connection.in_transaction:
        driver_connection.execute("BEGIN IMMEDIATE")
