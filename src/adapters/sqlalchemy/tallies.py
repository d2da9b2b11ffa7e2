"""Counts read from ``task_tallies`` instead of scanning tasks (see migration 0003).

A key has several rows only while writers overlap (each folds in what no one else holds), so
every read sums.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Select, cast, func, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.tables import NOBODY, task_tallies
from application.read_models import TaskFilter
from domain.status import TaskStatus

_L = task_tallies.c


def can_count(where: TaskFilter) -> bool:
    """Tallies are keyed by assignee, status and type; a single task is counted directly.
    The nil UUID is the tallies' name for "nobody", never a user's id."""
    return where.external_id is None and where.assigned_to != NOBODY


def task_count(where: TaskFilter) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = []
    if where.status is not None:
        conditions.append(_L.status == where.status.value)
    if where.assigned_to is not None:
        conditions.append(_L.assignee == where.assigned_to)
    if where.type is not None:
        conditions.append(_L.type == where.type.value)
    return select(cast(func.coalesce(func.sum(_L.tasks), 0), BigInteger)).where(*conditions)


def _total(status: TaskStatus | None = None) -> ColumnElement[int]:
    if status is None:
        return cast(func.sum(_L.tasks), BigInteger)
    return cast(func.sum(_L.tasks).filter(_L.status == status.value), BigInteger)


def stats_by_assignee(assignees: Any) -> Select[Any]:
    """The same rows as :func:`adapters.sqlalchemy.statistics.stats_by_assignee`, from the
    tallies: a few rows per user instead of every task of theirs."""
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
