"""Reminders before a deadline: the periodic sweep calls this, beside the expiry."""

from __future__ import annotations

from application.ports import Clock, UnitOfWork


class RemindDeadlines:
    """Puts a ``task.deadline_approaching`` event in the outbox for every open task whose
    reminder time has come, in one set-based statement: once per deadline (a moved deadline
    is reminded again; a task finished first is not reminded). Idempotent and safe beside
    itself, like the expiry sweep."""

    def __init__(self, uow: UnitOfWork, clock: Clock, default_before_seconds: int) -> None:
        self._uow = uow
        self._clock = clock
        self._default = default_before_seconds

    def __call__(self) -> int:
        with self._uow:
            reminded = self._uow.tasks.remind_due(self._clock.now(), self._default)
            self._uow.commit()
        return reminded
