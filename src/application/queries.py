"""The read side: what lists and details show, and the query ports that produce it.

Reads that only display go straight to DTOs through these ports instead of loading
aggregates, so that a page with statistics costs a fixed handful of queries, not one per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final, Generic, Protocol, TypeVar
from uuid import UUID

from application.errors import InvalidInput, NotFound
from domain.events import Change, TaskEventType
from domain.task import TaskStatus, TaskType

DEFAULT_LIMIT: Final = 10
MAX_LIMIT: Final = 100
#: Offsets beyond this are refused: no store pages that far, and 64-bit columns overflow.
MAX_OFFSET: Final = 2**53
_HUNDREDTH: Final = Decimal("0.01")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PageRequest:
    """``limit`` above the cap is lowered to it; negative values are refused."""

    limit: int = DEFAULT_LIMIT
    offset: int = 0

    def __post_init__(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.limit < 0:
            errors["limit"] = ["Must be greater than or equal to 0."]
        if self.offset < 0:
            errors["offset"] = ["Must be greater than or equal to 0."]
        elif self.offset > MAX_OFFSET:
            errors["offset"] = [f"Must be less than or equal to {MAX_OFFSET}."]
        if errors:
            raise InvalidInput(errors)
        object.__setattr__(self, "limit", min(self.limit, MAX_LIMIT))


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    count: int
    offset: int
    limit: int

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.items) < self.count


@dataclass(frozen=True, slots=True)
class UserStats:
    assigned: int = 0
    completed: int = 0
    in_progress: int = 0
    failed: int = 0

    @property
    def completion_percentage(self) -> float:
        """completed / assigned x 100, rounded half up to 2 decimals (0 when none assigned).

        Worked out in decimal, not with ``round`` on a float: a float rounds 1/800 (0.125 %)
        to even, 0.12, where SQL's ROUND and people say 0.13."""
        if self.assigned == 0:
            return 0.0
        exact = Decimal(self.completed * 100) / Decimal(self.assigned)
        return float(exact.quantize(_HUNDREDTH, rounding=ROUND_HALF_UP))


@dataclass(frozen=True, slots=True)
class UserView:
    external_id: UUID
    email: str
    name: str
    is_admin: bool
    stats: UserStats
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class TaskView:
    external_id: UUID
    name: str
    description: str
    assigned_to: UserView | None
    status: TaskStatus
    type: TaskType
    deadline: datetime | None
    completed_at: datetime | None
    created_by: UUID
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ActorView:
    external_id: UUID
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: datetime
    actor: ActorView | None  # None: the system (expiry)
    type: TaskEventType
    from_status: TaskStatus | None
    to_status: TaskStatus
    changes: Mapping[str, Change] = field(default_factory=dict)


class TaskOrder(StrEnum):
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    DEADLINE = "deadline"
    DEADLINE_DESC = "-deadline"


@dataclass(frozen=True, slots=True)
class TaskFilter:
    external_id: UUID | None = None
    status: TaskStatus | None = None
    assigned_to: UUID | None = None
    type: TaskType | None = None


@dataclass(frozen=True, slots=True)
class UserFilter:
    external_id: UUID | None = None


class TaskQueries(Protocol):
    def get(self, task_id: UUID) -> TaskView | None: ...

    def page(self, where: TaskFilter, order: TaskOrder, page: PageRequest) -> Page[TaskView]:
        """At most three statements (count, rows, assignees' statistics), whatever the size."""
        ...


class UserQueries(Protocol):
    def get(self, user_id: UUID) -> UserView | None: ...

    def page(self, where: UserFilter, page: PageRequest) -> Page[UserView]:
        """Users with their statistics in a fixed number of statements, never one per user."""
        ...


class HistoryQueries(Protocol):
    def page(self, task_id: UUID, page: PageRequest) -> Page[HistoryEntry] | None:
        """The task's events, newest first; None when there is no such (non-deleted) task."""
        ...


class ListTasks:
    def __init__(self, tasks: TaskQueries) -> None:
        self._tasks = tasks

    def __call__(
        self,
        where: TaskFilter,
        order: TaskOrder = TaskOrder.CREATED_AT_DESC,
        page: PageRequest | None = None,
    ) -> Page[TaskView]:
        return self._tasks.page(where, order, page or PageRequest())


class GetTask:
    def __init__(self, tasks: TaskQueries) -> None:
        self._tasks = tasks

    def __call__(self, task_id: UUID) -> TaskView:
        view = self._tasks.get(task_id)
        if view is None:
            raise NotFound("Task", task_id)
        return view


class ListUsers:
    def __init__(self, users: UserQueries) -> None:
        self._users = users

    def __call__(self, where: UserFilter, page: PageRequest | None = None) -> Page[UserView]:
        return self._users.page(where, page or PageRequest())


class GetUser:
    def __init__(self, users: UserQueries) -> None:
        self._users = users

    def __call__(self, user_id: UUID) -> UserView:
        view = self._users.get(user_id)
        if view is None:
            raise NotFound("User", user_id)
        return view


class TaskHistory:
    def __init__(self, history: HistoryQueries) -> None:
        self._history = history

    def __call__(self, task_id: UUID, page: PageRequest | None = None) -> Page[HistoryEntry]:
        entries = self._history.page(task_id, page or PageRequest())
        if entries is None:
            raise NotFound("Task", task_id)
        return entries
