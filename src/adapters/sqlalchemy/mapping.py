"""Rows to aggregates and back: the one place that knows both shapes.

Explicit functions rather than ORM mapping: the aggregates stay plain classes, and what is
written is exactly the dict a test can compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import RowMapping

from domain.events import Change, TaskEvent
from domain.status import TaskStatus, TaskType
from domain.task import Task
from domain.user import Email, User

Row = Mapping[str, Any]


def task_to_row(task: Task) -> dict[str, Any]:
    return {
        "external_id": task.external_id,
        "name": task.name,
        "description": task.description,
        "type": task.type.value,
        "status": task.status.value,
        "deadline": task.deadline,
        "created_by": task.created_by,
        "assigned_to": task.assigned_to,
        "completed_at": task.completed_at,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "deleted_at": task.deleted_at,
        "version": task.version,
        "remind_before_seconds": task.remind_before_seconds,
    }


def row_to_task(row: Row | RowMapping) -> Task:
    return Task(
        external_id=row["external_id"],
        name=row["name"],
        description=row["description"],
        type=TaskType(row["type"]),
        status=TaskStatus(row["status"]),
        deadline=row["deadline"],
        created_by=row["created_by"],
        assigned_to=row["assigned_to"],
        completed_at=row["completed_at"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
        version=row["version"],
        remind_before_seconds=row["remind_before_seconds"],
    )


def user_to_row(user: User) -> dict[str, Any]:
    return {
        "external_id": user.external_id,
        "email": user.email.value,
        "email_key": user.email.key,
        "name": user.name,
        "password_hash": user.password_hash,
        "is_admin": user.is_admin,
        "token_version": user.token_version,
        "created_at": user.created_at,
        "updated_at": user.updated_at,
        "deleted_at": user.deleted_at,
        "version": user.version,
    }


def row_to_user(row: Row | RowMapping) -> User:
    return User(
        external_id=row["external_id"],
        email=Email(row["email"]),
        name=row["name"],
        password_hash=row["password_hash"],
        is_admin=row["is_admin"],
        token_version=row["token_version"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        deleted_at=row["deleted_at"],
        version=row["version"],
    )


def event_to_row(event: TaskEvent) -> dict[str, Any]:
    return {
        "task_id": event.task_id,
        "type": event.type.value,
        "actor_id": event.actor_id,
        "at": event.at,
        "from_status": None if event.from_status is None else event.from_status.value,
        "to_status": event.to_status.value,
        "changes": changes_to_json(event.changes),
    }


def changes_to_json(changes: Mapping[str, Change]) -> dict[str, dict[str, str | None]]:
    return {field: {"old": change.old, "new": change.new} for field, change in changes.items()}


def changes_from_json(data: Mapping[str, Mapping[str, str | None]] | None) -> dict[str, Change]:
    return {field: Change(value["old"], value["new"]) for field, value in (data or {}).items()}
