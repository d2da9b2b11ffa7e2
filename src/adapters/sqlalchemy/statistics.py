"""Per-user task statistics as SQL, shared by the user and task pages.

One grouped aggregate answers every user of a page at once: never one query per user, let
alone per figure. On PostgreSQL it reads the task tallies (a few rows per user, see
:mod:`adapters.sqlalchemy.tallies`); elsewhere the ``(assigned_to, status)`` index of tasks.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Select, func, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy import tallies
from adapters.sqlalchemy.tables import tasks
from application.read_models import UserStats
from domain.status import TaskStatus

STAT_COLUMNS = ("assigned", "completed", "in_progress", "failed")


def _count_of(status: TaskStatus) -> ColumnElement[int]:
    return func.count().filter(tasks.c.status == status.value)


def stats_by_assignee(assignees: Any, *, tallied: bool = False) -> Select[Any]:
    """Rows of (assigned_to, assigned, completed, in_progress, failed) for the users whose
    ids ``assignees`` (a list or a subquery) names; users without tasks have no row (or zeros).
    ``tallied``: read the database's task tallies rather than the tasks themselves."""
    if tallied:
        return tallies.stats_by_assignee(assignees)
    return (
        select(
            tasks.c.assigned_to,
            func.count().label("assigned"),
            _count_of(TaskStatus.COMPLETED).label("completed"),
            _count_of(TaskStatus.IN_PROGRESS).label("in_progress"),
            _count_of(TaskStatus.FAILED).label("failed"),
        )
        .where(tasks.c.deleted_at.is_(None), tasks.c.assigned_to.in_(assignees))
        .group_by(tasks.c.assigned_to)
    )


def fetch_stats(connection: Connection, user_ids: Collection[UUID]) -> dict[UUID, UserStats]:
    """One statement for all of ``user_ids`` (none when the collection is empty)."""
    if not user_ids:
        return {}
    query = stats_by_assignee(list(user_ids), tallied=tallies.kept(connection))
    rows = connection.execute(query).mappings()
    return {row["assigned_to"]: stats_from(row) for row in rows}


def stats_from(row: Any, prefix: str = "") -> UserStats:
    """UserStats from a row holding the counts (NULL, from an outer join, means none)."""
    return UserStats(**{name: row[prefix + name] or 0 for name in STAT_COLUMNS})
