"""Result rows turned into the DTOs the API shows."""

from __future__ import annotations

from typing import Any, Final, NamedTuple

from adapters.sqlalchemy.mapping import changes_from_json
from adapters.sqlalchemy.read.counting import StatKeys, stats_from
from adapters.sqlalchemy.read.keys import prefixed
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


class UserKeys(NamedTuple):
    """The keys of a user's view columns in a row: their names, prefixed for a joined user
    (:func:`~adapters.sqlalchemy.read.keys.prefixed`)."""

    external_id: str
    email: str
    name: str
    is_admin: str
    created_at: str
    updated_at: str
    version: str


#: What a user's representation shows of their row (never, say, their password's hash).
USER_VIEW_COLUMNS: Final = UserKeys._fields
USER_KEYS: Final = prefixed(UserKeys, "")
ASSIGNEE = users.alias("assignee")
#: A task's row carries its assignee's columns prefixed, but for their id: that is the task's
#: own ``assigned_to``, read once (a UUID read twice per row cost a page 31 needless casts).
_ASSIGNEE_KEYS: Final = prefixed(UserKeys, "assignee_")._replace(external_id="assigned_to")
ASSIGNEE_COLUMNS: Final = [
    ASSIGNEE.c[name].label(key)
    for name, key in zip(USER_KEYS, _ASSIGNEE_KEYS, strict=True)
    if key not in TASK_VIEW_COLUMNS  # the task's own column already
]
#: The prefix of the assignee's statistics in a task's row.
ASSIGNEE_STATS: Final = "assignee_stat_"
_ASSIGNEE_STAT_KEYS: Final = prefixed(StatKeys, ASSIGNEE_STATS)
# Members by their stored value: a lookup costs a seventh of calling the enum.
_STATUSES: Final = {member.value: member for member in TaskStatus}
_TYPES: Final = {member.value: member for member in TaskType}


def task_view(row: Any) -> TaskView:
    """A task from its row, joined to its assignee's (``ASSIGNEE_COLUMNS``) and the
    assignee's statistics (prefixed ``ASSIGNEE_STATS``)."""
    assignee = None
    if row["assigned_to"] is not None:
        assignee = user_view(row, stats_from(row, _ASSIGNEE_STAT_KEYS), _ASSIGNEE_KEYS)
    return TaskView(
        external_id=row["external_id"],
        name=row["name"],
        description=row["description"],
        assigned_to=assignee,
        status=_STATUSES[row["status"]],
        type=_TYPES[row["type"]],
        deadline=row["deadline"],
        completed_at=row["completed_at"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        version=row["version"],
        remind_before_seconds=row["remind_before_seconds"],
    )


def user_view(row: Any, stats: UserStats, keys: UserKeys = USER_KEYS) -> UserView:
    """A user from the columns of ``row`` that ``keys`` name."""
    return UserView(
        external_id=row[keys.external_id],
        email=row[keys.email],
        name=row[keys.name],
        is_admin=row[keys.is_admin],
        stats=stats,
        created_at=row[keys.created_at],
        updated_at=row[keys.updated_at],
        version=row[keys.version],
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
