"""Tasks for display: a page costs one statement whatever its size (the rows with their
assignees, the assignees' statistics and the count, unless skipped; the count alone follows
only a page without rows); one task costs one.

Each statement is built once per shape (which filters are set, the order, how the page
starts) with every value a bound parameter, and kept: a request only binds its values.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Final
from uuid import UUID

from sqlalchemy import FromClause, Select, func, select, true
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.enclosing import Connects
from adapters.sqlalchemy.prepared import prepared
from adapters.sqlalchemy.read.counting import (
    STAT_COLUMNS,
    counted_page,
    stats_of,
    task_count,
    with_total,
)
from adapters.sqlalchemy.read.filters import (
    FilterShape,
    filter_values,
    identified,
    matching,
    picked_by_id,
    searching,
)
from adapters.sqlalchemy.read.keyset import Ordering, PageShape, page_values
from adapters.sqlalchemy.read.rows import (
    ASSIGNEE,
    ASSIGNEE_COLUMNS,
    ASSIGNEE_STATS,
    TASK_VIEW_COLUMNS,
    task_view,
)
from adapters.sqlalchemy.tables import tasks
from application.paging import Page, PageRequest
from application.read_models import TaskFilter, TaskOrder, TaskView

_T = tasks.c
# Tasks without a deadline sort as if it were infinitely far: last going up, first going down
# (PostgreSQL's own default, spelled out so that it reads as the rule it is).
TASK_ORDER = {
    TaskOrder.CREATED_AT: Ordering("created_at", ascending=True),
    TaskOrder.CREATED_AT_DESC: Ordering("created_at", ascending=False),
    TaskOrder.DEADLINE: Ordering("deadline", ascending=True, nullable=True),
    TaskOrder.DEADLINE_DESC: Ordering("deadline", ascending=False, nullable=True),
}
TASK_ID: Final = "task_id"


class SqlTaskQueries:
    def __init__(self, database: Connects) -> None:
        self._database = database

    def get(self, task_id: UUID) -> TaskView | None:
        rows = self._database.fetch(_ONE_TASK, {TASK_ID: task_id})
        return task_view(rows[0]) if rows else None

    def page(self, where: TaskFilter, order: TaskOrder, page: PageRequest) -> Page[TaskView]:
        shape = FilterShape.of(where)
        values = filter_values(where) | page_values(page)
        statement = _page(shape, order, PageShape.of(page), counted=page.count)
        count = _count(shape) if page.count else None
        rows, total = counted_page(self._database, statement, count, values)
        return page.page([task_view(row) for row in rows], total)


@cache
def _count(shape: FilterShape) -> Select[Any]:
    if not shape.external_id and not shape.search:
        return shape.planned(task_count(shape))
    # The tallies know tasks neither by id (at most one task matches: count it by its primary
    # key) nor by their text (a search counts the tasks it finds).
    return select(func.count()).select_from(_matching(shape).subquery())


@cache
def _page(shape: FilterShape, order: TaskOrder, page: PageShape, *, counted: bool) -> Select[Any]:
    ordering = TASK_ORDER[order]
    picked = ordering.page(_matching(shape), page).subquery("picked")
    rows = _with_assignees(picked).order_by(*ordering.reading(picked.c, page))
    return shape.planned(with_total(rows, _count(shape)) if counted else rows)


def _matching(shape: FilterShape) -> Select[Any]:
    conditions: list[ColumnElement[bool]] = [_T.deleted_at.is_(None)]
    if shape.external_id:
        conditions.append(identified(_T.external_id))
    if shape.search:
        conditions.append(searching(_T.name, _T.description))
    conditions += matching(shape, status=_T.status, assignee=_T.assigned_to, type=_T.type)
    return select(tasks).where(*conditions)


def _with_assignees(picked: FromClause) -> Select[Any]:
    """The ``picked`` tasks (a table or a subquery of its rows) with their assignees and the
    assignees' statistics."""
    stats = stats_of(picked.c.assigned_to, "assignee_stats")
    counts = [stats.c[name].label(ASSIGNEE_STATS + name) for name in STAT_COLUMNS]
    assignee = ASSIGNEE.c.external_id == picked.c.assigned_to
    joined = picked.outerjoin(ASSIGNEE, assignee).outerjoin(stats, true())
    shown = [picked.c[name] for name in TASK_VIEW_COLUMNS]
    return select(*shown, *ASSIGNEE_COLUMNS, *counts).select_from(joined)


_ONE_TASK: Final = prepared(_with_assignees(picked_by_id(tasks, TASK_ID)))
