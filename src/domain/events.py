"""What happened to a task, recorded as it happens: the task's history."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.status import TaskEventType, TaskStatus

#: A JSON-safe value of a changed field, as shown in the history.
ChangeValue = str | None


@dataclass(frozen=True, slots=True)
class Change:
    old: ChangeValue
    new: ChangeValue


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


def shown(value: object) -> ChangeValue:
    """How history shows a field's value: text, timestamps in ISO 8601, nothing as None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)
