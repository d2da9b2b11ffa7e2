"""One transaction around several units of work: what makes a request's effect and its kept
answer commit together (see :mod:`adapters.sqlalchemy.idempotency`).

Outside an enclosing transaction nothing changes: each unit of work opens a session of its own
and each read a connection of its own, from the pool. Inside one, opened with
:meth:`EnclosingTransactions.enclosing` in this thread (or context), every session joins its
connection through a savepoint (``uow.commit()`` releases the savepoint, a rollback undoes that
unit of work alone) and every read runs on it, so that it sees what the units of work wrote.
Only the enclosing transaction's commit makes any of it durable, or visible to others.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Select
from sqlalchemy.orm import Session

from adapters.sqlalchemy.direct import DirectReads, Row, rows_on


class Connects(Protocol):
    """Where the read side gets its connections and its rows: :class:`EnclosingTransactions`."""

    def connect(self) -> AbstractContextManager[Connection]: ...

    def fetch(self, statement: Select[Any], values: Mapping[str, Any]) -> list[Row]: ...


class EnclosingTransactions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._direct = DirectReads(engine)
        # Per instance, so that two containers in one process never see each other's.
        self._current: ContextVar[Connection | None] = ContextVar(
            f"enclosing-{id(self)}", default=None
        )

    @contextmanager
    def enclosing(self) -> Iterator[Connection]:
        """A connection in a transaction that everything opened meanwhile joins. Leaving the
        block rolls it back unless the caller committed it (``connection.commit()``)."""
        if self._current.get() is not None:
            raise RuntimeError("an enclosing transaction is already open here")
        with self.engine.connect() as connection:
            connection.begin()
            token = self._current.set(connection)
            try:
                yield connection
            finally:
                self._current.reset(token)

    def session(self) -> Session:
        """A session for a unit of work: of its own, or joined to the enclosing transaction."""
        connection = self._current.get()
        if connection is None:
            return Session(bind=self.engine, expire_on_commit=False)
        return Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for a read: of its own, or the enclosing transaction's (left open)."""
        connection = self._current.get()
        if connection is not None:
            yield connection
            return
        with self.engine.connect() as own, _autocommitting(own):
            yield own

    def fetch(self, statement: Select[Any], values: Mapping[str, Any]) -> list[Row]:
        """The rows of the read ``statement``: straight from a pooled connection
        (:mod:`adapters.sqlalchemy.direct`), or on the enclosing transaction's."""
        connection = self._current.get()
        if connection is None:
            return self._direct.fetch(statement, values)
        return rows_on(connection, statement, values)


@contextmanager
def _autocommitting(connection: Connection) -> Iterator[None]:
    """Every statement on ``connection`` its own transaction, for the block: no BEGIN before
    a read and no ROLLBACK after it, two round trips fewer. Under READ COMMITTED each
    statement takes its own snapshot either way, so a read's statements see what they did
    inside a transaction. psycopg2 switches this on its side alone, sending nothing."""
    driver: Any = connection.connection.dbapi_connection
    driver.autocommit = True
    try:
        yield
    finally:
        if not driver.closed:  # a connection lost meanwhile is discarded, not reused
            driver.autocommit = False
