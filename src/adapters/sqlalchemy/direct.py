"""Reads run straight on a pooled driver connection: each statement compiled once, its rows
handed back as plain dicts.

Through SQLAlchemy's ``Connection`` a read costs about 0.17 ms of CPU beyond the driver's own
work (a ``Connection`` made and closed, an execution context, a result and its rows), twice
what the driver itself spends on the caller's check; every request pays it at least twice
(the check, then what was asked). A read statement built once (every value a bound
parameter) is compiled here once, with its columns' result processors and its parameters'
bind processors. Running it takes a connection from the engine's pool (the pool's checkout
and checkin events run as ever), sends the text in autocommit (prepared on the server when
marked, by the engine's :mod:`preparer <adapters.sqlalchemy.prepared>`) and turns each row
into a dict keyed as ``Result.mappings()`` keys it.

While anything listens to the engine's ``before_cursor_execute`` (a statement counter, a
tracer), reads go through SQLAlchemy's ``Connection`` as before, so that it sees them all.

Should the driver fail (a server gone, a statement lost), the connection goes back, discarded
if it broke, and the read runs once more through SQLAlchemy's ``Connection``: a read changes
nothing, and its errors then surface as every other statement's do (a lost database is a 503).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any

import psycopg2
from sqlalchemy import Connection, Engine, exc
from sqlalchemy.sql import Select

from adapters.sqlalchemy.prepared import PREPARE, preparer_of

Row = dict[str, Any]


class CompiledRead:
    """One read statement, compiled for the engine's dialect."""

    __slots__ = ("_bind", "_columns", "_compiled", "_processed", "marked", "text")

    def __init__(self, statement: Select[Any], engine: Engine) -> None:
        dialect = engine.dialect
        self._compiled = compiled = statement.compile(dialect=dialect)
        self.text: str = compiled.string
        self.marked = bool(statement.get_execution_options().get(PREPARE))
        self._columns = tuple(str(column.key) for column in statement.selected_columns)
        processors = [
            (index, column.type.result_processor(dialect, None))
            for index, column in enumerate(statement.selected_columns)
        ]
        self._processed = tuple((index, p) for index, p in processors if p is not None)
        self._bind: dict[str, Callable[[Any], Any]] = {}
        for key, parameter in compiled.binds.items():
            process = parameter.type.bind_processor(dialect)
            if process is not None:
                self._bind[key] = process

    def parameters(self, values: Mapping[str, Any]) -> MutableMapping[str, Any]:
        """The driver's parameters for ``values`` (and the statement's own literals)."""
        parameters = self._compiled.construct_params(values)
        for key, process in self._bind.items():
            if key in parameters:
                parameters[key] = process(parameters[key])
        return parameters

    def rows(self, fetched: list[tuple[Any, ...]]) -> list[Row]:
        columns, processed = self._columns, self._processed
        if not processed:
            return [dict(zip(columns, row, strict=True)) for row in fetched]
        rows = []
        for row in fetched:
            values = list(row)
            for index, process in processed:
                values[index] = process(values[index])
            rows.append(dict(zip(columns, values, strict=True)))
        return rows


class DirectReads:
    """Runs read statements for ``engine`` on its pooled driver connections."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._compiled: dict[Select[Any], CompiledRead] = {}

    def fetch(self, statement: Select[Any], values: Mapping[str, Any]) -> list[Row]:
        if self._engine.dispatch.before_cursor_execute:
            # Someone watches the engine's statements (a counter, a tracer): they see these.
            return self._through_sqlalchemy(statement, values)
        read = self._compiled.get(statement)
        if read is None:
            read = self._compiled[statement] = CompiledRead(statement, self._engine)
        parameters = read.parameters(values)
        try:
            pooled = self._engine.raw_connection()
        except psycopg2.Error as error:  # no connection to be had: as SQLAlchemy reports it
            raise exc.DBAPIError.instance(
                None, None, error, psycopg2.Error, dialect=self._engine.dialect
            ) from error
        driver: Any = pooled.driver_connection
        try:
            fetched = self._run(driver, read, parameters)
        except psycopg2.Error as error:
            if driver.closed or self._engine.dialect.is_disconnect(error, driver, None):
                pooled.invalidate(error)
            pooled.close()
            return self._through_sqlalchemy(statement, values)
        pooled.close()
        return read.rows(fetched)

    def _run(
        self, driver: Any, read: CompiledRead, parameters: MutableMapping[str, Any]
    ) -> list[Any]:
        """``read`` on ``driver``, in autocommit."""
        with autocommitting(driver), driver.cursor() as cursor:
            preparer = preparer_of(self._engine)
            if not (read.marked and preparer and preparer.run(cursor, read.text, parameters)):
                cursor.execute(read.text, parameters)
            return list(cursor.fetchall())

    def _through_sqlalchemy(self, statement: Select[Any], values: Mapping[str, Any]) -> list[Row]:
        with autocommitted(self._engine) as connection:
            return rows_on(connection, statement, values)


@contextmanager
def autocommitted(engine: Engine) -> Iterator[Connection]:
    """A pooled SQLAlchemy ``Connection`` of ``engine`` in autocommit, for reads."""
    with engine.connect() as connection, autocommitting(connection.connection.dbapi_connection):
        yield connection


@contextmanager
def autocommitting(driver: Any) -> Iterator[None]:
    """Every statement on the driver connection ``driver`` its own transaction, for the block:
    no BEGIN before a read and no ROLLBACK after it, two round trips fewer. Under READ
    COMMITTED each statement takes its own snapshot either way, so a read's statements see
    what they did inside a transaction. psycopg2 switches this on its side alone, sending
    nothing."""
    driver.autocommit = True
    try:
        yield
    finally:
        if not driver.closed:  # a connection lost meanwhile is discarded, not reused
            driver.autocommit = False


def rows_on(connection: Connection, statement: Select[Any], values: Mapping[str, Any]) -> list[Row]:
    """The rows of ``statement`` run through SQLAlchemy on ``connection``, as dicts."""
    return [dict(row) for row in connection.execute(statement, values).mappings()]
