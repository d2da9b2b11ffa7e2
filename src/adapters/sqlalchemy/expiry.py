"""The expiry sweep: fail every overdue open task and record why, set-based, in one go.

Both versions leave the same rows: each failed task gets one ``expired`` event whose actor is
NULL (the system), in the transaction of the unit of work that runs them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import CursorResult, bindparam, text
from sqlalchemy.orm import Session

from adapters.sqlalchemy.engine import take_write_lock
from adapters.sqlalchemy.tables import IS_OPEN, OVERDUE_CANDIDATE
from adapters.sqlalchemy.types import UtcDateTime

_NOW = bindparam("now", type_=UtcDateTime)
_DUE: Final = f"{OVERDUE_CANDIDATE} AND deadline <= :now"

# One statement. `due` locks the rows first and reads their status as it is once the lock is
# held: a completion that holds a task's lock makes the sweep wait, then the re-checked WHERE
# drops the task if it completed; a concurrent sweep finds the rows already failed (and the
# UPDATE re-checks the status all the same). Locking in
# primary-key order keeps two sweeps (or a sweep and a user deletion) from deadlocking.
# PostgreSQL's RETURNING only sees the new row, hence the old status comes from `due`.
_POSTGRESQL: Final = text(
    f"""
    WITH due AS (
        SELECT external_id, status FROM tasks
        WHERE {_DUE}
        ORDER BY external_id
        FOR NO KEY UPDATE
    ), expired AS (
        UPDATE tasks SET status = 'failed', updated_at = :now
        FROM due
        WHERE tasks.external_id = due.external_id AND tasks.{IS_OPEN}
        RETURNING tasks.external_id, due.status AS from_status
    )
    INSERT INTO task_events (task_id, type, actor_id, at, from_status, to_status, changes)
    SELECT external_id, 'expired', NULL, :now, from_status, 'failed', '{{}}'::jsonb
    FROM expired
    """  # noqa: S608 - built from constants; the one value is bound
).bindparams(_NOW)

# SQLite has no data-modifying CTE. The write lock is taken before these two set-based
# statements and held to the commit, so nothing changes between them: the events are written
# from the rows as they are, then the same rows fail.
_SQLITE_EVENTS: Final = text(
    f"""
    INSERT INTO task_events (task_id, type, actor_id, at, from_status, to_status, changes)
    SELECT external_id, 'expired', NULL, :now, status, 'failed', '{{}}'
    FROM tasks WHERE {_DUE}
    """  # noqa: S608 - built from constants; the one value is bound
).bindparams(_NOW)
_SQLITE_FAIL: Final = text(
    f"UPDATE tasks SET status = 'failed', updated_at = :now WHERE {_DUE}"  # noqa: S608 - constants only
).bindparams(_NOW)


def expire_overdue(session: Session, now: datetime) -> int:
    """Fail the open tasks due at or before ``now``; how many failed."""
    if session.get_bind().dialect.name == "postgresql":
        return _rowcount(session.execute(_POSTGRESQL, {"now": now}))
    take_write_lock(session)
    session.execute(_SQLITE_EVENTS, {"now": now})
    return _rowcount(session.execute(_SQLITE_FAIL, {"now": now}))


def _rowcount(result: object) -> int:
    assert isinstance(result, CursorResult)
    return int(result.rowcount)
