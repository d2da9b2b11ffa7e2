"""One transaction around several units of work: what makes a request's effect and its kept
answer commit together (see :mod:`adapters.sqlalchemy.idempotency`).

Outside an enclosing transaction nothing changes: each unit of work opens a connection and a
transaction of its own, and each read a connection of its own, from the pool. Inside one,
opened with :meth:`EnclosingTransactions.enclosing` in this thread (or context), every unit
of work runs on its connection in a savepoint (``uow.commit()`` releases the savepoint, a
rollback undoes that unit of work alone) and every read runs on it, so that it sees what the
units of work wrote.
Only the enclosing transaction's commit makes any of it durable, or visible to others.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Select, Transaction

from adapters.sqlalchemy.direct import DirectReads, Row, autocommitted, rows_on


class Connects(Protocol):
    """Where the read side gets its connections and its rows: :class:`EnclosingTransactions`."""

    def connect(self) -> AbstractContextManager[Connection]: ...

    def fetch(self, statement: Select[Any], values: Mapping[str, Any]) -> list[Row]: ...


@dataclass(slots=True)
class UnitTransaction:
    """A unit of work's connection and transaction. Committing makes its writes durable (its
    own transaction) or part of the enclosing one (a savepoint); closing undoes what was not
    committed and gives a connection of its own back to the pool."""

    connection: Connection
    transaction: Transaction
    own: bool

    def commit(self) -> None:
        self.transaction.commit()

    def rollback(self) -> None:
        if self.transaction.is_active:
            self.transaction.rollback()

    def close(self) -> None:
        try:
            self.rollback()
        finally:
            if self.own:
                self.connection.close()


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

    def unit(self) -> UnitTransaction:
        """A transaction for a unit of work: of its own, or a savepoint in the enclosing one."""
        connection = self._current.get()
        if connection is None:
            own = self.engine.connect()
            return UnitTransaction(own, own.begin(), own=True)
        return UnitTransaction(connection, connection.begin_nested(), own=False)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for a read: of its own, or the enclosing transaction's (left open)."""
        connection = self._current.get()
        if connection is not None:
            yield connection
            return
        with autocommitted(self.engine) as own:
            yield own

    def fetch(self, statement: Select[Any], values: Mapping[str, Any]) -> list[Row]:
        """The rows of the read ``statement``: straight from a pooled connection
        (:mod:`adapters.sqlalchemy.direct`), or on the enclosing transaction's."""
        connection = self._current.get()
        if connection is None:
            return self._direct.fetch(statement, values)
        return rows_on(connection, statement, values)
