"""Hand-written in-memory fakes of every port, honest enough to test the use cases against.

The unit of work behaves like a database transaction. Repositories hand out working copies of
what was last committed; ``commit`` writes back every aggregate the transaction saw or added and
moves the tasks' recorded events into ``history``; leaving the block without committing throws
the working copies away: new aggregates, changes and events alike. Tests read the committed
state through ``saved``/``saved_all``, as a fresh session would.

The fakes of the other ports live in ``fake_services``, ``fake_sessions`` and ``fake_queries``;
all are importable from here.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from types import TracebackType
from typing import Generic, Self, TypeVar
from uuid import UUID

from application.ports import Caller
from domain.errors import EmailAlreadyUsed
from domain.events import TaskEvent
from domain.status import OPEN_STATUSES
from domain.task import Task
from domain.user import Email, User
from unit.fake_queries import FakeHistoryQueries, FakeTaskQueries, FakeUserQueries
from unit.fake_services import (
    DEFAULT_NOW,
    FakeLoginThrottle,
    FakeTokenService,
    FixedClock,
    PlainPasswordHasher,
)
from unit.fake_sessions import FakeLoginStore, FakeRefreshTokenStore

__all__ = [
    "DEFAULT_NOW",
    "FakeHistoryQueries",
    "FakeLoginStore",
    "FakeLoginThrottle",
    "FakeRefreshTokenStore",
    "FakeTaskQueries",
    "FakeTaskRepository",
    "FakeTokenService",
    "FakeUnitOfWork",
    "FakeUserQueries",
    "FakeUserRepository",
    "FixedClock",
    "PlainPasswordHasher",
]

A = TypeVar("A", Task, User)

# -- repositories and the unit of work --------------------------------------------------------


class _Transaction:
    """Whether a unit of work is open; its repositories refuse to work outside one."""

    def __init__(self) -> None:
        self.open = False

    def require_open(self) -> None:
        if not self.open:
            raise RuntimeError("Used outside `with uow:`: a real session has no transaction here.")


class _Aggregates(Generic[A]):
    """Committed aggregates, and the working copies the open transaction has seen."""

    def __init__(self, transaction: _Transaction) -> None:
        self._transaction = transaction
        self._committed: dict[UUID, A] = {}
        self._seen: dict[UUID, A] = {}

    def add(self, aggregate: A) -> None:
        self._transaction.require_open()
        self._seen[aggregate.external_id] = aggregate

    def saved(self, external_id: UUID) -> A | None:
        """The committed state, deleted or not, as a copy."""
        stored = self._committed.get(external_id)
        return None if stored is None else copy.deepcopy(stored)

    def saved_all(self) -> list[A]:
        return [copy.deepcopy(aggregate) for aggregate in self._committed.values()]

    def _live(self, external_id: UUID) -> A | None:
        self._transaction.require_open()
        if external_id not in self._seen:
            stored = self._committed.get(external_id)
            if stored is None:
                return None
            self._seen[external_id] = copy.deepcopy(stored)
        aggregate = self._seen[external_id]
        return None if aggregate.is_deleted else aggregate

    def _all_live(self) -> list[A]:
        ids = [*self._committed, *(i for i in self._seen if i not in self._committed)]
        return [aggregate for i in ids if (aggregate := self._live(i)) is not None]

    def _write(self) -> None:
        for external_id, aggregate in self._seen.items():
            self._committed[external_id] = copy.deepcopy(aggregate)

    def _discard(self) -> None:
        self._seen.clear()


class FakeTaskRepository(_Aggregates[Task]):
    def __init__(self, transaction: _Transaction) -> None:
        super().__init__(transaction)
        #: Tasks locked for update by the latest transaction (the race-safety promise).
        self.locked: set[UUID] = set()
        #: The deadline each task was last reminded of (the sweep's reminded_for).
        self.reminded: dict[UUID, datetime] = {}

    def get(self, task_id: UUID, *, for_update: bool = False) -> Task | None:
        task = self._live(task_id)
        if task is not None and for_update:
            self.locked.add(task_id)
        return task

    def open_tasks_assigned_to(self, user_id: UUID) -> list[Task]:
        tasks = [
            task
            for task in self._all_live()
            if task.assigned_to == user_id and task.status in OPEN_STATUSES
        ]
        self.locked.update(task.external_id for task in tasks)
        return tasks

    def expire_overdue(self, now: datetime) -> list[datetime]:
        return [
            task.deadline
            for task in self._all_live()
            if task.deadline is not None and task.expire(now)
        ]

    def remind_due(self, now: datetime, default_before_seconds: int) -> int:
        """Counts the reminders due, once per deadline, as the sweep's statement does."""
        due = [
            task
            for task in self._all_live()
            if task.deadline is not None
            and task.status in OPEN_STATUSES
            and now < task.deadline
            and task.deadline
            - timedelta(seconds=task.remind_before_seconds or default_before_seconds)
            <= now
            and self.reminded.get(task.external_id) != task.deadline
        ]
        for task in due:
            assert task.deadline is not None
            self.reminded[task.external_id] = task.deadline
        return len(due)

    def _pull_events(self) -> list[TaskEvent]:
        return [event for task in self._seen.values() for event in task.pull_events()]


class FakeUserRepository(_Aggregates[User]):
    def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        return self._live(user_id)

    def get_by_email(self, email: Email) -> User | None:
        return next((user for user in self._all_live() if user.email == email), None)

    def _check_unique_emails(self) -> None:
        """What the store's unique index does at commit: two active users, one address (the
        index is on the casefolded key, the address compares by it)."""
        active = [u for u in {**self._committed, **self._seen}.values() if not u.is_deleted]
        keys = [user.email.key for user in active]
        for user in active:
            if keys.count(user.email.key) > 1:
                raise EmailAlreadyUsed(user.email.value)


class FakeUnitOfWork:
    """``with uow: ...; uow.commit()``; leaving the block without a commit rolls back."""

    def __init__(self) -> None:
        self._transaction = _Transaction()
        self.tasks = FakeTaskRepository(self._transaction)
        self.users = FakeUserRepository(self._transaction)
        self.logins = FakeLoginStore(self._transaction, self.users)
        self.refresh_tokens = FakeRefreshTokenStore(self._transaction, self.logins)
        #: Every committed task event, in commit order: the task history as stored.
        self.history: list[TaskEvent] = []
        self.commits = 0

    def __enter__(self) -> Self:
        if self._transaction.open:
            raise RuntimeError("A unit of work is not re-entrant.")
        self._transaction.open = True
        self.tasks.locked.clear()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Whatever was not committed is thrown away, as a session's rollback would.
        self.tasks._discard()
        self.users._discard()
        self.logins._discard()
        self.refresh_tokens._discard()
        self._transaction.open = False

    def commit(self) -> None:
        self._transaction.require_open()
        self.users._check_unique_emails()
        events = self.tasks._pull_events()
        self.tasks._write()
        self.users._write()
        self.logins._write()
        self.refresh_tokens._write()
        self.history.extend(events)
        self.commits += 1

    def events_of(self, task_id: UUID) -> list[TaskEvent]:
        return [event for event in self.history if event.task_id == task_id]


class FakeCallers:
    """The callers' read over the committed state of a fake unit of work's logins."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def caller(self, login_id: str, user_id: UUID) -> Caller | None:
        with self._uow:
            user = self._uow.logins.user_of(login_id, user_id)
        return None if user is None else Caller(user.token_version, user.is_admin)
