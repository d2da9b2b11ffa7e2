"""What happened to a task, recorded as it happens: the task's history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from domain.status import TaskStatus

#: A JSON-safe value of a changed field, as shown in the history.
ChangeValue = str | None


@dataclass(frozen=True, slots=True)
class Change:
    old: ChangeValue
    new: ChangeValue


class TaskEventType(StrEnum):
    CREATED = "created"
    EDITED = "edited"
    ASSIGNED = "assigned"
    STARTED = "started"
    COMPLETED = "completed"
    EXPIRED = "expired"
    DELETED = "deleted"
    UNASSIGNED = "unassigned"  # its assignee was deleted

    @property
    def verb(self) -> str:
        return _VERBS[self]


_VERBS = {
    TaskEventType.CREATED: "create",
    TaskEventType.EDITED: "edit",
    TaskEventType.ASSIGNED: "assign",
    TaskEventType.STARTED: "start",
    TaskEventType.COMPLETED: "complete",
    TaskEventType.EXPIRED: "expire",
    TaskEventType.DELETED: "delete",
    TaskEventType.UNASSIGNED: "unassign",
}


@dataclass(frozen=True, slots=True)
class TaskEvent:
    """One change to one task. ``actor_id`` is None when the system acted (expiry)."""

    task_id: UUID
    type: TaskEventType
    actor_id: UUID | None
    at: datetime
    from_status: TaskStatus | None
    to_status: TaskStatus
    changes: Mapping[str, Change] = field(default_factory=dict)
