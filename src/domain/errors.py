"""Errors raised when a rule of the domain is broken.

Each carries the context a caller needs to explain the refusal; the HTTP layer maps the classes
to status codes (a broken state rule is a conflict, an invalid value is a validation error).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.status import TaskEventType, TaskStatus


class DomainError(Exception):
    """A rule of the domain refused an operation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidValue(DomainError):
    """A value does not meet its rule (an empty name, a deadline in the past...)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class Conflict(DomainError):
    """The operation does not fit the current state of the aggregate."""


class InvalidTransition(Conflict):
    """The status machine has no arrow for this event from the task's current status."""

    def __init__(self, task_id: UUID, status: TaskStatus, event: TaskEventType) -> None:
        super().__init__(f"Cannot {event.verb} a task that is {status.value}.")
        self.task_id = task_id
        self.status = status
        self.event = event


class TaskIsTerminal(Conflict):
    """Completed and failed tasks are history: they cannot be edited."""

    def __init__(self, task_id: UUID, status: TaskStatus) -> None:
        super().__init__(f"A {status.value} task cannot be edited.")
        self.task_id = task_id
        self.status = status


class TaskExpired(Conflict):
    """The task's deadline has passed: it cannot change as asked, its only move is to fail."""

    def __init__(self, task_id: UUID, deadline: datetime) -> None:
        super().__init__(f"The deadline {deadline.isoformat()} has passed: the task fails instead.")
        self.task_id = task_id
        self.deadline = deadline


class EmailAlreadyUsed(Conflict):
    """Another active user already has this address."""

    def __init__(self, email: str) -> None:
        super().__init__(f"A user with the email {email} already exists.")
        self.email = email
