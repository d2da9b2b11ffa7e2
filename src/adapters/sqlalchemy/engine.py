"""The engine of the one supported database, PostgreSQL, configured the way every part needs."""

from __future__ import annotations

from typing import Final

from sqlalchemy import Engine, create_engine, make_url

#: How long opening a connection may take before the request fails.
CONNECT_TIMEOUT_SECONDS: Final = 5


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
        "options": "-c timezone=UTC",
        # A server that does not answer must fail a request quickly (a JSON 503), not hang it.
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
    }
    return create_engine(parsed, pool_pre_ping=True, connect_args=connect_args)
