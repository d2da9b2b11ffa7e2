"""The engine's connections: a read opens no transaction, a connection in steady use is
handed out without a ping, and one that sat idle is pinged and, if dead, replaced unseen."""

from __future__ import annotations

import uuid

import psycopg2.extensions
import pytest
from sqlalchemy import Engine, exc, text

from adapters.sqlalchemy import engine as engines
from adapters.sqlalchemy import uuid_caster
from adapters.sqlalchemy.enclosing import EnclosingTransactions
from adapters.sqlalchemy.engine import PING_AFTER_IDLE_SECONDS


@pytest.fixture
def pings(own_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every ping the engine sends, by connection."""
    sent: list[object] = []
    real = own_engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        sent.append(dbapi_connection)
        return real(dbapi_connection)

    monkeypatch.setattr(own_engine.dialect, "do_ping", counted)
    return sent


def _backend(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _idle_for(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make every connection in the pool look idle for ``seconds`` longer than it was."""
    real = engines.time.monotonic
    monkeypatch.setattr(engines.time, "monotonic", lambda: real() + seconds)


def _terminate(database_url: str, pid: int) -> None:
    """End a backend from another connection, as a restart or a proxy's timeout would."""
    other = psycopg2.connect(database_url)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", (pid,))
        other.commit()
    finally:
        other.close()


def test_a_read_runs_outside_any_transaction_and_leaves_none_behind(
    own_engine: Engine,
) -> None:
    reads = EnclosingTransactions(own_engine)
    with reads.connect() as connection:
        connection.execute(text("SELECT 1"))
        driver = connection.connection.dbapi_connection
        assert driver is not None
        # No BEGIN was sent before the statement, so no ROLLBACK is owed after it.
        assert driver.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE
    with own_engine.connect() as connection:
        # The same pooled connection, back to transactions for the units of work.
        assert connection.connection.dbapi_connection is driver
        assert driver.autocommit is False
        connection.execute(text("SELECT 1"))
        assert driver.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_INTRANS


def test_a_connection_in_steady_use_is_not_pinged(own_engine: Engine, pings: list[object]) -> None:
    first = _backend(own_engine)
    assert [_backend(own_engine) for _ in range(5)] == [first] * 5
    assert pings == []


def test_an_idle_connection_that_died_is_replaced_before_anyone_uses_it(
    own_engine: Engine, pings: list[object], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    dead = _backend(own_engine)
    _terminate(database_url, dead)
    _idle_for(monkeypatch, PING_AFTER_IDLE_SECONDS + 1)
    assert _backend(own_engine) != dead
    assert len(pings) == 1


def test_a_connection_that_died_while_in_steady_use_fails_its_next_statement(
    own_engine: Engine, pings: list[object], database_url: str
) -> None:
    """The price of pinging only idle connections: such a failure reaches one request (a
    503), and SQLAlchemy then invalidates the pool, so the next one connects afresh."""
    dead = _backend(own_engine)
    _terminate(database_url, dead)
    with pytest.raises(exc.OperationalError):
        _backend(own_engine)
    assert _backend(own_engine) != dead
    assert pings == []


def test_uuids_are_read_by_the_canonical_caster_and_equal_what_was_written(
    own_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    real = uuid_caster.uuid_from_text

    def watched(value: str | None, cursor: object) -> object:
        if value is not None:
            read.append(value)
        return real(value, cursor)

    caster = psycopg2.extensions.new_type((uuid_caster.UUID_OID,), "WATCHED", watched)
    monkeypatch.setattr(uuid_caster, "CANONICAL_UUID", caster)
    own_engine.dispose()  # new connections: registered with the watched caster
    written = uuid.uuid4()
    with own_engine.connect() as connection:
        row = connection.execute(
            text("SELECT CAST(:id AS uuid), CAST(NULL AS uuid)"), {"id": str(written).upper()}
        ).one()
    assert row == (written, None)
    assert type(row[0]) is uuid.UUID
    assert read == [str(written)]
