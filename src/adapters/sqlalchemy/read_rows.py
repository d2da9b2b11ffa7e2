"""Read-side pieces: filters, orders, and rows turned into the DTOs the API shows."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.mapping import changes_from_json
from adapters.sqlalchemy.tables import tasks, users
from application.read_models import (
    ActorView,
    HistoryEntry,
    TaskFilter,
    TaskOrder,
    TaskView,
    UserStats,
    UserView,
)
from domain.events import TaskEventType
from domain.status import TaskStatus, TaskType

_T = tasks.c
ASSIGNEE = users.alias("assignee")
ASSIGNEE_COLUMNS = [column.label(f"assignee_{column.name}") for column in ASSIGNEE.c]
# Tasks without a deadline sort as if it were infinitely far: last going up, first going down
# (PostgreSQL's own default, spelled out so that it reads as the rule it is).
TASK_ORDER = {
    TaskOrder.CREATED_AT: (_T.created_at.asc(), _T.external_id.asc()),
    TaskOrder.CREATED_AT_DESC: (_T.created_at.desc(), _T.external_id.desc()),
    TaskOrder.DEADLINE: (_T.deadline.asc().nulls_last(), _T.external_id.asc()),
    TaskOrder.DEADLINE_DESC: (_T.deadline.desc().nulls_first(), _T.external_id.desc()),
}


def task_conditions(where: TaskFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_T.deleted_at.is_(None)]
    if where.external_id is not None:
        conditions.append(_T.external_id == where.external_id)
    if where.status is not None:
        conditions.append(_T.status == where.status.value)
    if where.assigned_to is not None:
        conditions.append(_T.assigned_to == where.assigned_to)
    if where.type is not None:
        conditions.append(_T.type == where.type.value)
    return conditions


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
