"""The engine of the one supported database, PostgreSQL, configured the way every part needs."""

from __future__ import annotations

import time
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event, exc, make_url
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from adapters.sqlalchemy.prepared import GENERIC_PLANS, prepare_marked_statements
from adapters.sqlalchemy.uuid_caster import read_uuids_quickly

#: How long opening a connection may take before the request fails.
CONNECT_TIMEOUT_SECONDS: Final = 5
#: A pooled connection that sat unused longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS: Final = 1.0
_IDLE_SINCE: Final = "idle_since"


def make_engine(url: str) -> Engine:
    """An engine for the PostgreSQL database at ``url``; connects nothing until first used.

    Any other database is refused: the sweep, the locks and the tally triggers are PostgreSQL's.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(
            f"only PostgreSQL is supported, not {parsed.get_backend_name()!r}: "
            "use a postgresql:// URL"
        )
    if parsed.drivername == "postgresql":
        # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; we ship psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg2")
    connect_args = {
        # Aware timestamps come back in the session's zone: make it UTC whatever the server says.
        # Prepared statements keep one plan (adapters.sqlalchemy.prepared).
        "options": f"-c timezone=UTC {GENERIC_PLANS}",
        # A server that does not answer must fail a request quickly (a JSON 503), not hang it.
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
    }
    engine = create_engine(parsed, connect_args=connect_args)
    _ping_when_idle(engine)
    prepare_marked_statements(engine)
    # After the dialect's own connect hook, which registers psycopg2's UUID caster.
    event.listen(engine, "connect", _read_uuids_quickly)
    return engine


def _read_uuids_quickly(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    read_uuids_quickly(dbapi_connection)


def _ping_when_idle(engine: Engine) -> None:
    """Ping a pooled connection before use only if it sat idle past PING_AFTER_IDLE_SECONDS.

    A connection in steady use was working a moment ago, and a ping is a round trip per
    checkout; one that sat idle may have been closed meanwhile (a restart, a proxy's
    timeout), so it is checked first and, if dead, replaced before anyone sees it. A
    connection that breaks while in use fails that request (a 503) and invalidates the pool.
    """

    @event.listens_for(engine, "checkin")
    def idle_from_now(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(
        dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection
    ) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since <= PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                # The pool drops this connection and checks out another (a new one, if need be).
                raise exc.DisconnectionError() from error
            raise
