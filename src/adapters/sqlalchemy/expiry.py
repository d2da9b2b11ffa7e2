"""The expiry sweep: fail every overdue open task and record why, in one set-based statement.

Each failed task gets one ``expired`` event whose actor is NULL (the system), and one
``task.expired`` row in the webhook outbox, in the transaction of the unit of work that runs
the sweep.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlalchemy import Connection, bindparam, column, text

from adapters.sqlalchemy.outbox import insert_from, snapshot_of
from adapters.sqlalchemy.tables import OVERDUE_CANDIDATE, quoted
from adapters.sqlalchemy.types import UtcDateTime
from domain.status import TaskEventType, TaskStatus, WebhookEventType

_NOW = bindparam("now", type_=UtcDateTime)
_FAILED: Final = quoted(TaskStatus.FAILED.value)
_EXPIRED: Final = quoted(TaskEventType.EXPIRED.value)
_DUE: Final = f"{OVERDUE_CANDIDATE} AND deadline <= :now"
_OUTBOX: Final = insert_from("expired", WebhookEventType.TASK_EXPIRED)
_SNAPSHOT: Final = snapshot_of("tasks", WebhookEventType.TASK_EXPIRED)

#: A transaction-scoped advisory lock: a sweep holds it alone, a user deletion (which locks
#: several of one user's tasks) holds it shared. Sweeps therefore never overlap, and never wait
#: on rows that a deletion holds while the deletion waits on theirs: no deadlock is possible,
#: without the cost of locking every due row up front in a fixed order.
SWEEP_LOCK: Final = 7_215_001
_SWEEP_ALONE: Final = text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=SWEEP_LOCK)
_BESIDE_SWEEPS: Final = text("SELECT pg_advisory_xact_lock_shared(:key)").bindparams(key=SWEEP_LOCK)

# One statement. `old` is the row as the statement's snapshot saw it, which gives the event its
# from_status (RETURNING sees only the new row). A row that a transaction holds makes the
# UPDATE wait; PostgreSQL then re-checks the conditions on `tasks` against the row as
# committed, but not `old`, which stays as first read. So the outer WHERE repeats all that
# makes a task due, on `tasks`: a deadline moved later or dropped, or a deletion, leaves the
# task alone; `tasks.status = old.status` (open, since `old` was) leaves a task whose status
# moved: a completed task is never failed, and one started meanwhile fails at the next tick
# with the right history. The INSERT runs to completion whether or not anything reads it;
# Failing is a change like any other: the version moves on, so ETags taken before go stale;
# the statement answers with the failed tasks' deadlines (how late each failed is a metric).
# The outbox's INSERT runs in the same statement: a failure committed is an event to deliver.
_SWEEP: Final = (
    text(
        f"""
    WITH expired AS (
        UPDATE tasks
        SET status = {_FAILED}, updated_at = :now, version = tasks.version + 1
        FROM (SELECT external_id, status FROM tasks WHERE {_DUE}) AS old
        WHERE tasks.external_id = old.external_id
          AND tasks.status = old.status AND tasks.deleted_at IS NULL
          AND tasks.deadline <= :now
        RETURNING tasks.external_id, tasks.deadline, old.status AS from_status, {_SNAPSHOT}
    ), events AS (
        INSERT INTO task_events (task_id, type, actor_id, at, from_status, to_status, changes)
        SELECT external_id, {_EXPIRED}, NULL, :now, from_status, {_FAILED}, '{{}}'::jsonb
        FROM expired
    ), outbox AS ({_OUTBOX}
    )
    SELECT deadline FROM expired
    """  # noqa: S608 - built from constants; the one value is bound
    )
    .bindparams(_NOW)
    .columns(column("deadline", UtcDateTime))
)


def expire_overdue(connection: Connection, now: datetime) -> list[datetime]:
    """Fail the open tasks due at or before ``now``; the deadlines of those that failed."""
    sweep_alone(connection)
    return list(connection.execute(_SWEEP, {"now": now}).scalars())


def sweep_alone(connection: Connection) -> None:
    """Before a sweep's statement: no other sweep, and no user deletion, runs beside it."""
    connection.execute(_SWEEP_ALONE)


def keep_sweeps_out(connection: Connection) -> None:
    """Before locking several tasks at once: no sweep runs until this transaction ends."""
    connection.execute(_BESIDE_SWEEPS)
