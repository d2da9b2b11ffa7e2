"""Loading users and tasks fast, straight into the tables with ``generate_series``.

Rows are derived from their sequence number (ids are ``md5`` of a label and the number, the
rest from a stable hash of it), so two loads with the same arguments are identical:
the raw-SQL and use-case sweeps run on the same data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import bcrypt
import psycopg2

from bench.progress import bar

#: Every bench user logs in with this; hashed once at a low cost (login speed is not measured).
BENCH_PASSWORD: Final = "bench-password-1"
CHUNK: Final = 100_000


@dataclass(frozen=True, slots=True)
class TaskMix:
    """How the loaded tasks look. ``overdue`` first rows are open with a passed deadline
    (what the sweep fails); the others are a realistic spread of open tasks due later or
    never, and finished ones."""

    count: int
    users: int
    overdue: int = 0
    salt: str = "tasks"
    #: The first row number: a later load from ``count + 1`` extends the same data set.
    first: int = 1


def user_id_sql(number: str) -> str:
    return f"md5('user' || {number})::uuid"


def load_users(connection: psycopg2.extensions.connection, count: int) -> None:
    """``count`` users, user 1 an admin; emails ``user<i>@bench.example`` (lower case ASCII,
    so each is its own casefolded key)."""
    password_hash = bcrypt.hashpw(BENCH_PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO users (external_id, email, email_key, name, password_hash, is_admin,
                               token_version, created_at, updated_at, deleted_at)
            SELECT {user_id_sql("i")}, 'user' || i || '@bench.example',
                   'user' || i || '@bench.example', 'Bench user ' || i,
                   %(hash)s, i = 1, 0,
                   now() - interval '400 days' + i * interval '1 minute',
                   now() - interval '400 days' + i * interval '1 minute', NULL
            FROM generate_series(1, %(count)s) AS i
            """,
            {"hash": password_hash, "count": count},
        )
    connection.commit()


# Columns per row number i; '%%' is a literal modulo (psycopg2 parameters are %(...)s).
# hashint8extended(i, seed) is a stable hash, so a row depends only on its number and salt.
_TASKS = """
WITH ids AS (
    SELECT array_agg(external_id ORDER BY email) AS users FROM users
), numbered AS (
    SELECT i,
           abs(hashint8extended(i, hashtext(%(salt)s || 'a'))) %% 100 AS dice,
           abs(hashint8extended(i, hashtext(%(salt)s || 'u'))) %% %(users)s + 1 AS assignee,
           abs(hashint8extended(i, hashtext(%(salt)s || 'c'))) %% %(users)s + 1 AS creator,
           abs(hashint8extended(i, hashtext(%(salt)s || 't'))) %% 3 AS kind,
           abs(hashint8extended(i, hashtext(%(salt)s || 'd'))) %% 86400 AS jitter
    FROM generate_series(%(first)s, %(last)s) AS i
), shaped AS (
    SELECT i, creator, assignee, kind,
           CASE WHEN i <= %(overdue)s
                    THEN (ARRAY['unassigned', 'pending', 'in_progress'])[dice %% 3 + 1]
                WHEN dice < 15 THEN 'unassigned'
                WHEN dice < 45 THEN 'pending'
                WHEN dice < 60 THEN 'in_progress'
                WHEN dice < 90 THEN 'completed'
                ELSE 'failed' END AS status,
           CASE WHEN i <= %(overdue)s THEN now() - interval '1 second' * (1 + i %% 86400)
                WHEN dice < 60 AND dice %% 2 = 0 THEN NULL
                WHEN dice < 60 THEN now() + interval '1 day' + interval '1 second' * jitter
                ELSE now() - interval '1 day' - interval '1 second' * jitter END AS deadline
    FROM numbered
)
INSERT INTO tasks (external_id, name, description, type, status, deadline, created_by,
                   assigned_to, completed_at, created_at, updated_at, deleted_at)
SELECT md5(%(salt)s || i)::uuid, 'Task ' || i, 'Generated for the bench: task number ' || i,
       (ARRAY['urgent', 'normal', 'low'])[kind + 1], status, deadline, ids.users[creator],
       CASE WHEN status = 'unassigned' THEN NULL ELSE ids.users[assignee] END,
       CASE WHEN status = 'completed' THEN now() - interval '2 days' END,
       now() - interval '365 days' + interval '1 second' * (i * 30 %% 31536000),
       now() - interval '3 days', NULL
FROM shaped, ids
"""


def load_tasks(connection: psycopg2.extensions.connection, mix: TaskMix) -> None:
    """Insert rows ``mix.first``..``mix.count`` in chunks (with a progress bar), then
    VACUUM ANALYZE."""
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for first in range(mix.first, mix.count + 1, CHUNK):
            last = min(first + CHUNK - 1, mix.count)
            cursor.execute(
                _TASKS,
                {
                    "first": first,
                    "last": last,
                    "users": mix.users,
                    "overdue": mix.overdue,
                    "salt": mix.salt,
                },
            )
            connection.commit()
            bar(last, mix.count, "tasks")
    analyze(connection)


def analyze(connection: psycopg2.extensions.connection) -> None:
    """Fresh statistics and visibility map, as a live database has after autovacuum."""
    autocommit = connection.autocommit
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE tasks")
            cursor.execute("VACUUM ANALYZE users")
    finally:
        connection.autocommit = autocommit


def empty_tasks(connection: psycopg2.extensions.connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE tasks CASCADE")  # with what refers to them (history, outbox)
    connection.commit()
