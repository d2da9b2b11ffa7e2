"""Counts of tasks, for page counts and per-user statistics, read from ``task_tallies``.

The tallies (migration 0003) hold live counts per (assignee, status, type), kept exact by
triggers on ``tasks``: a few rows per user instead of every task of theirs. A key has several
rows only while writers overlap, so every read sums. One grouped aggregate answers every user
of a page at once: never one query per user, let alone per figure.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Connection, Select, cast, false, func, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.read.filters import matching
from adapters.sqlalchemy.tables import NOBODY, task_tallies
from application.read_models import TaskFilter, UserStats
from domain.status import TaskStatus

_L = task_tallies.c
STAT_COLUMNS = ("assigned", "completed", "in_progress", "failed")


def task_count(where: TaskFilter) -> Select[Any]:
    """How many live tasks match ``where`` (its task id aside: the tallies do not know it)."""
    conditions = matching(where, status=_L.status, assignee=_L.assignee, type=_L.type)
    if where.assigned_to == NOBODY:
        # The tallies' name for "unassigned" is no user's id: no task is assigned to it.
        conditions.append(false())
    return select(cast(func.coalesce(func.sum(_L.tasks), 0), BigInteger)).where(*conditions)


def _total(status: TaskStatus | None = None) -> ColumnElement[int]:
    if status is None:
        return cast(func.sum(_L.tasks), BigInteger)
    return cast(func.sum(_L.tasks).filter(_L.status == status.value), BigInteger)


def stats_by_assignee(assignees: Any) -> Select[Any]:
    """Rows of (assigned_to, assigned, completed, in_progress, failed) for the users whose
    ids ``assignees`` (a list or a subquery) names; users without tasks have no row."""
    return (
        select(
            _L.assignee.label("assigned_to"),
            _total().label("assigned"),
            _total(TaskStatus.COMPLETED).label("completed"),
            _total(TaskStatus.IN_PROGRESS).label("in_progress"),
            _total(TaskStatus.FAILED).label("failed"),
        )
        .where(_L.assignee.in_(assignees))
        .group_by(_L.assignee)
    )


def fetch_stats(connection: Connection, user_ids: Collection[UUID]) -> dict[UUID, UserStats]:
    """One statement for all of ``user_ids`` (none when the collection is empty)."""
    if not user_ids:
        return {}
    rows = connection.execute(stats_by_assignee(list(user_ids))).mappings()
    return {row["assigned_to"]: stats_from(row) for row in rows}


def stats_from(row: Any, prefix: str = "") -> UserStats:
    """UserStats from a row holding the counts (NULL, from an outer join, means none)."""
    return UserStats(**{name: row[prefix + name] or 0 for name in STAT_COLUMNS})


def tasks_by_status(connection: Connection) -> dict[TaskStatus, int]:
    """Live tasks per status, every status named (0 when none): one grouped statement over
    the tallies, cheap enough for every metrics scrape."""
    total = cast(func.sum(_L.tasks), BigInteger)
    rows = connection.execute(select(_L.status, total).group_by(_L.status))
    counts = {TaskStatus(status): int(count or 0) for status, count in rows}
    return {status: counts.get(status, 0) for status in TaskStatus}
