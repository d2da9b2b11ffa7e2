"""What lists and details show: filters, and the read models of users, tasks and their
history. Plain frozen data, produced by the query ports of :mod:`application.queries`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.events import Change
from domain.status import TaskEventType, TaskStatus, TaskType


@dataclass(frozen=True, slots=True)
class UserStats:
    assigned: int = 0
    completed: int = 0
    in_progress: int = 0
    failed: int = 0

    @property
    def completion_percentage(self) -> float:
        """completed / assigned x 100, rounded half up to 2 decimals (0 when none assigned).

        Worked out in whole hundredths, not with ``round`` on a float: a float rounds 1/800
        (0.125 %) to even, 0.12, where SQL's ROUND and people say 0.13. Half up is
        floor(x + 1/2), and x + 1/2 hundredths is (completed x 20,000 + assigned) /
        (2 x assigned), exactly; the one division by 100 then gives the nearest float."""
        if self.assigned == 0:
            return 0.0
        hundredths = (self.completed * 20_000 + self.assigned) // (2 * self.assigned)
        return hundredths / 100


@dataclass(frozen=True, slots=True)
class UserView:
    external_id: UUID
    email: str
    name: str
    is_admin: bool
    stats: UserStats
    created_at: datetime
    updated_at: datetime
    #: Moves on with every change: the ETag of the representation.
    version: int


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
    #: Moves on with every change: the ETag of the representation.
    version: int
    #: How long before the deadline the task is reminded; None: the service's default.
    remind_before_seconds: int | None = None


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

    @property
    def by_deadline(self) -> bool:
        return self in (TaskOrder.DEADLINE, TaskOrder.DEADLINE_DESC)


@dataclass(frozen=True, slots=True)
class TaskFilter:
    external_id: UUID | None = None
    status: TaskStatus | None = None
    assigned_to: UUID | None = None
    type: TaskType | None = None
    #: Tasks whose name or description contains this, whatever the case.
    search: str | None = None
    #: Asked for a value no task can have (an unknown status, say): nothing matches. The
    #: original's dialect answers such a filter with an empty page rather than refusing it.
    impossible: bool = False


@dataclass(frozen=True, slots=True)
class UserFilter:
    external_id: UUID | None = None
    #: Users whose name or email contains this, whatever the case.
    search: str | None = None
