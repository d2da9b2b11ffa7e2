"""What the database says came of a load: each task's status and its `expired` events."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, text

from domain.status import TaskEventType, TaskStatus
from integration.ops.load import Load
from integration.ops.support import wait_until


@dataclass(frozen=True)
class Fate:
    """What the database holds about one task at the end."""

    status: str
    deadline: datetime
    expired_events: int
    expired_at: datetime | None

    @property
    def lag_seconds(self) -> float:
        assert self.expired_at is not None
        return (self.expired_at - self.deadline).total_seconds()


_FATES = text(
    """
    SELECT t.external_id::text, t.status, t.deadline,
           count(e.id) FILTER (WHERE e.type = :expired),
           min(e.at) FILTER (WHERE e.type = :expired)
    FROM tasks t LEFT JOIN task_events e ON e.task_id = t.external_id
    GROUP BY t.external_id, t.status, t.deadline
    """
).bindparams(expired=TaskEventType.EXPIRED.value)
_OPEN = text("SELECT count(*) FROM tasks WHERE status NOT IN (:completed, :failed)").bindparams(
    completed=TaskStatus.COMPLETED.value, failed=TaskStatus.FAILED.value
)


def settle(engine: Engine, load: Load, grace: float = 4.0) -> dict[str, Fate]:
    """Wait until every task is completed or failed (the last deadline plus ``grace``), then a
    little more, so that a duplicate sweep has the time to show itself; the fate of each."""
    last = max(load.deadlines.values())
    timeout = max(0.0, (last - datetime.now(UTC)).total_seconds()) + grace

    def nothing_open() -> bool:
        with engine.connect() as connection:
            return connection.execute(_OPEN).scalar_one() == 0

    wait_until(nothing_open, timeout, "every task to be completed or failed")
    time.sleep(1.5)
    with engine.connect() as connection:
        return {row[0]: Fate(*row[1:]) for row in connection.execute(_FATES)}


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(0.99 * len(ordered)) - 1]
