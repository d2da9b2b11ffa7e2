"""Result rows turned into the DTOs the API shows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from adapters.sqlalchemy.mapping import changes_from_json
from adapters.sqlalchemy.tables import users
from application.read_models import (
    ActorView,
    HistoryEntry,
    TaskView,
    UserStats,
    UserView,
)
from domain.status import TaskEventType, TaskStatus, TaskType

ASSIGNEE = users.alias("assignee")
ASSIGNEE_COLUMNS = [column.label(f"assignee_{column.name}") for column in ASSIGNEE.c]


def task_view(row: Any, stats: dict[UUID, UserStats]) -> TaskView:
    assignee = None
    if row["assigned_to"] is not None:
        assignee = user_view(
            {column.name: row[f"assignee_{column.name}"] for column in ASSIGNEE.c},
            stats.get(row["assigned_to"], UserStats()),
        )
    return TaskView(
        external_id=row["external_id"],
        name=row["name"],
        description=row["description"],
        assigned_to=assignee,
        status=TaskStatus(row["status"]),
        type=TaskType(row["type"]),
        deadline=row["deadline"],
        completed_at=row["completed_at"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        remind_before_seconds=row["remind_before_seconds"],
    )


def user_view(row: Any, stats: UserStats) -> UserView:
    return UserView(
        external_id=row["external_id"],
        email=row["email"],
        name=row["name"],
        is_admin=row["is_admin"],
        stats=stats,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
    )


def history_entry(row: Any) -> HistoryEntry:
    actor = None
    if row["actor_external_id"] is not None:
        actor = ActorView(
            external_id=row["actor_external_id"], name=row["name"], email=row["email"]
        )
    return HistoryEntry(
        at=row["at"],
        actor=actor,
        type=TaskEventType(row["type"]),
        from_status=None if row["from_status"] is None else TaskStatus(row["from_status"]),
        to_status=TaskStatus(row["to_status"]),
        changes=changes_from_json(row["changes"]),
    )
