"""Result rows turned into the DTOs the API shows."""

from __future__ import annotations

from typing import Any, Final

from adapters.sqlalchemy.mapping import changes_from_json
from adapters.sqlalchemy.read.counting import stats_from
from adapters.sqlalchemy.tables import users
from application.read_models import (
    ActorView,
    HistoryEntry,
    TaskView,
    UserStats,
    UserView,
)
from domain.status import TaskEventType, TaskStatus, TaskType

#: What a task's representation shows of its row (what the display reads fetch; not, say,
#: its reminder's bookkeeping).
TASK_VIEW_COLUMNS: Final = (
    "external_id",
    "name",
    "description",
    "assigned_to",
    "status",
    "type",
    "deadline",
    "completed_at",
    "created_by",
    "created_at",
    "updated_at",
    "version",
    "remind_before_seconds",
)
#: What a user's representation shows of their row (never, say, their password's hash).
USER_VIEW_COLUMNS: Final = (
    "external_id",
    "email",
    "name",
    "is_admin",
    "created_at",
    "updated_at",
    "version",
)
ASSIGNEE = users.alias("assignee")
ASSIGNEE_COLUMNS: Final = [ASSIGNEE.c[name].label(f"assignee_{name}") for name in USER_VIEW_COLUMNS]
#: The prefix of the assignee's statistics in a task's row.
ASSIGNEE_STATS: Final = "assignee_stat_"


def task_view(row: Any) -> TaskView:
    """A task from its row, joined to its assignee's (``ASSIGNEE_COLUMNS``) and the
    assignee's statistics (prefixed ``ASSIGNEE_STATS``)."""
    assignee = None
    if row["assigned_to"] is not None:
        assignee = user_view(
            {name: row[f"assignee_{name}"] for name in USER_VIEW_COLUMNS},
            stats_from(row, ASSIGNEE_STATS),
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
