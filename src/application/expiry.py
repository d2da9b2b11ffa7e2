"""Failing overdue tasks: the periodic sweep and the one-off command both call this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from application.ports import Clock, UnitOfWork


@dataclass(frozen=True, slots=True)
class SweepReport:
    """What one sweep did: when it ran, and the deadlines of the tasks it failed.

    How late each task failed (``lags_seconds``) is what users of deadlines care about most;
    operators watch it as a metric."""

    at: datetime
    deadlines: tuple[datetime, ...]

    @property
    def failed(self) -> int:
        return len(self.deadlines)

    @property
    def lags_seconds(self) -> tuple[float, ...]:
        return tuple((self.at - deadline).total_seconds() for deadline in self.deadlines)


class ExpireOverdueTasks:
    """Fails every open task whose deadline has passed, in one set-based statement.

    Idempotent: a second run right after finds nothing to do. Safe beside itself and beside
    completions, because the repository's statement only touches rows still open when it
    runs, and completions lock their row first."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self) -> SweepReport:
        now = self._clock.now()
        with self._uow:
            deadlines = self._uow.tasks.expire_overdue(now)
            self._uow.commit()
        return SweepReport(at=now, deadlines=tuple(deadlines))
