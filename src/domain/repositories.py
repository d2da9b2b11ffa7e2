"""Repository ports: how the application reaches stored aggregates.

Repositories remember the aggregates they hand out; the unit of work writes their changes
(and the tasks' recorded events) when it commits. Deleted aggregates are never returned.
Committing a user whose address an active user already holds raises
:class:`domain.errors.EmailAlreadyUsed` (the store enforces it, so two racing sign-ups cannot
both win).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.task import Task
from domain.user import Email, User


class TaskRepository(Protocol):
    def add(self, task: Task) -> None: ...

    def get(self, task_id: UUID, *, for_update: bool = False) -> Task | None:
        """The task, or None; ``for_update`` locks it until the transaction ends."""
        ...

    def open_tasks_assigned_to(self, user_id: UUID) -> list[Task]:
        """Pending and in-progress tasks of a user, locked for update."""
        ...

    def expire_overdue(self, now: datetime) -> list[datetime]:
        """Fail every open task whose deadline is at or before ``now``, in one set-based
        statement, recording an ``expired`` event for each. Returns the deadlines of the tasks
        it failed (one per task, in no order): their count, and how late each one failed.

        Safe to run concurrently with itself and with a locked completion: a task is
        failed, and counted, once at most."""
        ...

    def remind_due(self, now: datetime, default_before_seconds: int) -> int:
        """Record a reminder for every open task whose deadline lies ahead but within its
        ``remind_before_seconds`` (None: ``default_before_seconds``) of ``now``, unless this
        deadline was reminded already; in one set-based statement. How many."""
        ...


class UserRepository(Protocol):
    def add(self, user: User) -> None: ...

    def get(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...

    def get_by_email(self, email: Email) -> User | None:
        """The active user with this address; a deleted user's address is free again."""
        ...
