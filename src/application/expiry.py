"""Failing overdue tasks: the periodic sweep and the one-off command both call this."""

from __future__ import annotations

from application.ports import Clock, UnitOfWork


class ExpireOverdueTasks:
    """Fails every open task whose deadline has passed, in one set-based statement.

    Idempotent: a second run right after finds nothing to do. Safe beside itself and beside
    completions, because the repository's statement only touches rows still open when it
    runs, and completions lock their row first."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self) -> int:
        with self._uow:
            failed = self._uow.tasks.expire_overdue(self._clock.now())
            self._uow.commit()
        return failed
