"""Marked statements are planned once per connection: prepared the first time, executed from
then on with one generic plan; and a prepared statement gone missing on the server turns
preparing off, without a read outside a transaction failing. (Behind PgBouncer nothing is
prepared at all: tests/integration/ops/test_pgbouncer.py.)"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    bindparam,
    exc,
    select,
    text,
)

from adapters.sqlalchemy.enclosing import EnclosingTransactions
from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.prepared import prepared
from adapters.sqlalchemy.read.tasks import SqlTaskQueries
from application.paging import PageRequest
from application.read_models import TaskFilter, TaskOrder
from domain.status import TaskStatus

_probes = Table("prepared_probe", MetaData(), Column("n", Integer))
#: A marked read with a value and a literal percent sign (psycopg2 escapes it as %%).
_MARKED = prepared(select((_probes.c.n * bindparam("times")).label("n"), text("'100%'")))
_PREPARED = text("SELECT name, generic_plans, custom_plans FROM pg_prepared_statements")


@pytest.fixture
def own_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    with engine.begin() as connection:
        _probes.drop(connection, checkfirst=True)
        _probes.create(connection)
        connection.execute(_probes.insert(), [{"n": 1}, {"n": 2}])
    yield engine
    with engine.begin() as connection:
        _probes.drop(connection)
    engine.dispose()


def _read(connection: Connection, times: int) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection.execute(_MARKED, {"times": times})]


def _prepared_here(connection: Connection) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection.execute(_PREPARED)]


def test_a_marked_read_is_prepared_once_and_then_runs_its_generic_plan(
    own_engine: Engine,
) -> None:
    reads = EnclosingTransactions(own_engine)
    with reads.connect() as connection:
        answers = [_read(connection, times) for times in (1, 10, 100)]
        [(name, generic, custom)] = _prepared_here(connection)
    assert answers == [
        [(1, "100%"), (2, "100%")],
        [(10, "100%"), (20, "100%")],
        [(100, "100%"), (200, "100%")],
    ]
    assert (generic, custom) == (3, 0)
    with reads.connect() as connection:  # the same pooled connection keeps it
        _read(connection, 2)
        assert _prepared_here(connection) == [(name, 4, 0)]


def test_an_unmarked_statement_is_not_prepared(own_engine: Engine) -> None:
    with EnclosingTransactions(own_engine).connect() as connection:
        connection.execute(select(_probes.c.n).where(_probes.c.n == bindparam("n")), {"n": 1})
        assert _prepared_here(connection) == []


def test_a_statement_prepared_in_a_transaction_outlives_its_rollback(own_engine: Engine) -> None:
    with own_engine.connect() as connection:
        assert _read(connection, 3) == [(3, "100%"), (6, "100%")]
        connection.rollback()
        assert _read(connection, 4) == [(4, "100%"), (8, "100%")]
        [(_, generic, custom)] = _prepared_here(connection)
    assert (generic, custom) == (2, 0)


def test_a_statement_lost_inside_a_transaction_fails_it_and_preparing_stops(
    own_engine: Engine,
) -> None:
    with own_engine.connect() as connection:
        _read(connection, 1)
        connection.commit()
        connection.exec_driver_sql("DEALLOCATE ALL")
        with pytest.raises(exc.DBAPIError, match="does not exist"):
            _read(connection, 2)
        connection.rollback()
        assert _read(connection, 2) == [(2, "100%"), (4, "100%")]
        assert _prepared_here(connection) == []


def test_a_statement_lost_on_the_server_turns_preparing_off_and_the_read_still_answers(
    own_engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    reads = EnclosingTransactions(own_engine)
    with reads.connect() as connection:
        _read(connection, 1)
        # What a pooler does: the next statement reaches a server session that lacks it.
        connection.exec_driver_sql("DEALLOCATE ALL")
        with caplog.at_level(logging.WARNING, logger="adapters.sqlalchemy.prepared"):
            assert _read(connection, 5) == [(5, "100%"), (10, "100%")]
        assert "no longer prepared" in caplog.text
        assert _read(connection, 7) == [(7, "100%"), (14, "100%")]
        assert _prepared_here(connection) == []


def test_a_name_taken_on_the_server_turns_preparing_off_and_the_read_still_answers(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        with EnclosingTransactions(engine).connect() as connection:
            # Another client's statement under the name this engine gives its first one.
            connection.exec_driver_sql("PREPARE ta_1 AS SELECT 42")
            assert [tuple(row) for row in connection.execute(_PLAIN_MARKED)] == [(1,)]
            assert [row.name for row in connection.execute(_PREPARED)] == ["ta_1"]
            assert [tuple(row) for row in connection.execute(_PLAIN_MARKED)] == [(1,)]
    finally:
        engine.dispose()


_PLAIN_MARKED = prepared(select(text("1")))


def test_a_plan_outdated_by_a_schema_change_is_made_anew_and_the_read_answers(
    own_engine: Engine,
) -> None:
    reads = EnclosingTransactions(own_engine)
    with reads.connect() as connection:
        marked = prepared(select(_probes.c.n).order_by(_probes.c.n))
        assert list(connection.execute(marked).scalars()) == [1, 2]
        connection.exec_driver_sql("ALTER TABLE prepared_probe ALTER COLUMN n TYPE bigint")
        assert list(connection.execute(marked).scalars()) == [1, 2]
        assert list(connection.execute(marked).scalars()) == [1, 2]
        # Prepared again under a new name; the outdated one was never run again.
        assert sorted(_prepared_here(connection)) == [("ta_1", 1, 0), ("ta_2", 1, 0)]


def test_an_unfiltered_page_is_prepared_and_a_filtered_one_is_planned_for_its_values(
    own_engine: Engine,
) -> None:
    reads = EnclosingTransactions(own_engine)
    queries = SqlTaskQueries(reads)
    order, page = TaskOrder.CREATED_AT, PageRequest(limit=30)
    queries.page(TaskFilter(), order, page)
    with reads.connect() as connection:
        unfiltered = _prepared_here(connection)
    for where in (
        TaskFilter(status=TaskStatus.PENDING),
        TaskFilter(assigned_to=uuid4()),
        TaskFilter(status=TaskStatus.PENDING, assigned_to=uuid4()),
        TaskFilter(search="report"),
    ):
        queries.page(where, order, page)
    with reads.connect() as connection:  # the one pooled connection, throughout
        assert _prepared_here(connection) == unfiltered
    assert len(unfiltered) == 2  # the page, and its count alone after a page without rows
