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
    IMPORTED = "imported"  # copied from the original service's database

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
    TaskEventType.IMPORTED: "import",
}

#: Room for any status, type or event name as stored (a test checks that every one fits).
VALUE_MAX_LENGTH: Final = 16


class WebhookEventType(StrEnum):
    """What a webhook endpoint may subscribe to: most are a task event as it is delivered, the
    reminder is the one that changes nothing (see :data:`WEBHOOK_EVENTS`)."""

    TASK_CREATED = "task.created"
    TASK_ASSIGNED = "task.assigned"
    TASK_STARTED = "task.started"
    TASK_COMPLETED = "task.completed"
    TASK_EXPIRED = "task.expired"
    TASK_DELETED = "task.deleted"
    TASK_DEADLINE_APPROACHING = "task.deadline_approaching"


#: Room for any webhook event type as stored.
WEBHOOK_EVENT_MAX_LENGTH: Final = 32

#: The task events delivered to webhooks, under their webhook name. Edits and the release of a
#: deleted user's tasks stay in the history only.
WEBHOOK_EVENTS: Final = {
    TaskEventType.CREATED: WebhookEventType.TASK_CREATED,
    TaskEventType.ASSIGNED: WebhookEventType.TASK_ASSIGNED,
    TaskEventType.STARTED: WebhookEventType.TASK_STARTED,
    TaskEventType.COMPLETED: WebhookEventType.TASK_COMPLETED,
    TaskEventType.EXPIRED: WebhookEventType.TASK_EXPIRED,
    TaskEventType.DELETED: WebhookEventType.TASK_DELETED,
}

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
