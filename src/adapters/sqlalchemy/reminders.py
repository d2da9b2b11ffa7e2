"""The reminder sweep: one ``task.deadline_approaching`` outbox row per open task whose
reminder time has come, once per deadline, in one set-based statement.

``reminded_for`` holds the deadline a reminder went out for: a task is due while it differs
from the deadline, so a moved deadline is reminded again and a reminded one never twice. A
plain UPDATE re-checks its WHERE on a row another transaction changed while it waited, so two
sweeps never both remind one deadline, and a task completed meanwhile is left alone. It takes
the expiry's sweep lock, so it never deadlocks with a user deletion (see ``expiry``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import Connection, bindparam, text

from adapters.sqlalchemy import expiry
from adapters.sqlalchemy.outbox import insert_from, snapshot_of
from adapters.sqlalchemy.tables import REMIND_CANDIDATE
from adapters.sqlalchemy.types import UtcDateTime
from domain.status import WebhookEventType
from domain.task_fields import REMIND_BEFORE_MAX_SECONDS

_EVENT: Final = WebhookEventType.TASK_DEADLINE_APPROACHING
_REMIND: Final = text(
    f"""
    WITH reminded AS (
        UPDATE tasks SET reminded_for = deadline
        WHERE {REMIND_CANDIDATE}
          AND deadline > :now AND deadline <= :horizon
          AND deadline - make_interval(secs => COALESCE(remind_before_seconds, :default))
              <= :now
        RETURNING tasks.external_id, {snapshot_of("tasks", _EVENT)}
    ), outbox AS ({insert_from("reminded", _EVENT)}
    )
    SELECT count(*) FROM reminded
    """  # noqa: S608 - built from constants; the values are bound
).bindparams(bindparam("now", type_=UtcDateTime), bindparam("horizon", type_=UtcDateTime))


def remind_due(connection: Connection, now: datetime, default_before_seconds: int) -> int:
    """Remind the open tasks whose reminder time has come by ``now``; how many."""
    expiry.sweep_alone(connection)
    horizon = now + timedelta(seconds=max(REMIND_BEFORE_MAX_SECONDS, default_before_seconds))
    found = connection.execute(
        _REMIND, {"now": now, "horizon": horizon, "default": default_before_seconds}
    ).scalar_one()
    return int(found)
