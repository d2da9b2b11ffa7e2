"""A task's status machine, its whole alphabet in one place: the statuses, the types, the events
that happen to a task, and the one table of what may follow what."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class TaskStatus(StrEnum):
    UNASSIGNED = "unassigned"
    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STATUSES


TERMINAL_STATUSES: Final = frozenset({TaskStatus.COMPLETED, TaskStatus.FAILED})
OPEN_STATUSES: Final = frozenset(set(TaskStatus) - TERMINAL_STATUSES)


class TaskType(StrEnum):
    URGENT = "urgent"
    NORMAL = "normal"
    LOW = "low"


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
        """What the event does, as refusals name it ("Cannot start a task that is ...")."""
        return _VERBS[self]


_VERBS: Final = {
    TaskEventType.CREATED: "create",
    TaskEventType.EDITED: "edit",
    TaskEventType.ASSIGNED: "assign",
    TaskEventType.STARTED: "start",
    TaskEventType.COMPLETED: "complete",
    TaskEventType.EXPIRED: "expire",
    TaskEventType.DELETED: "delete",
    TaskEventType.UNASSIGNED: "unassign",
}

#: Room for any status, type or event name as stored (a test checks that every one fits).
VALUE_MAX_LENGTH: Final = 16

_S, _E = TaskStatus, TaskEventType

#: The status machine, in one place: (status, event) -> next status. No entry means refused.
TRANSITIONS: Final[dict[tuple[TaskStatus, TaskEventType], TaskStatus]] = {
    (_S.UNASSIGNED, _E.ASSIGNED): _S.PENDING,
    (_S.PENDING, _E.ASSIGNED): _S.PENDING,
    (_S.IN_PROGRESS, _E.ASSIGNED): _S.PENDING,
    (_S.PENDING, _E.STARTED): _S.IN_PROGRESS,
    (_S.PENDING, _E.COMPLETED): _S.COMPLETED,
    (_S.IN_PROGRESS, _E.COMPLETED): _S.COMPLETED,
    (_S.UNASSIGNED, _E.EXPIRED): _S.FAILED,
    (_S.PENDING, _E.EXPIRED): _S.FAILED,
    (_S.IN_PROGRESS, _E.EXPIRED): _S.FAILED,
    (_S.PENDING, _E.UNASSIGNED): _S.UNASSIGNED,
    (_S.IN_PROGRESS, _E.UNASSIGNED): _S.UNASSIGNED,
}

#: Status-changing events; the others (created, edited, deleted) keep the status.
STATUS_EVENTS: Final = frozenset(event for _, event in TRANSITIONS)
