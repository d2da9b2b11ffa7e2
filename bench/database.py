"""Databases of the bench's own: created fresh for one measurement, dropped after it."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
from sqlalchemy.engine import make_url

from bench.progress import say


def _admin_execute(admin_url: str, statement: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction block.
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


@contextmanager
def fresh_database(admin_url: str, label: str) -> Iterator[str]:
    """A new empty database (its URL), migrated to the current schema, dropped on exit.

    The name carries a random suffix, so the bench never drops a database it did not make."""
    from adapters.sqlalchemy import migrations

    name = f"bench_{label}_{secrets.token_hex(4)}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    _admin_execute(admin_url, f'CREATE DATABASE "{name}"')
    try:
        migrations.upgrade(url)
        yield url
    finally:
        _admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        say(f"dropped database {name}")


@contextmanager
def raw_connection(url: str) -> Iterator[psycopg2.extensions.connection]:
    """A plain psycopg2 connection, in UTC like the service's own sessions."""
    connection = psycopg2.connect(url, options="-c timezone=UTC")
    try:
        yield connection
    finally:
        connection.close()
