"""Tasks for display: a page costs three statements whatever its size (the count, unless
skipped; the rows with their assignees; the assignees' statistics); one task costs two."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, FromClause, Select, func, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.enclosing import Connects
from adapters.sqlalchemy.read.counting import fetch_stats, task_count
from adapters.sqlalchemy.read.filters import matching, searching
from adapters.sqlalchemy.read.keyset import Ordering
from adapters.sqlalchemy.read.rows import ASSIGNEE, ASSIGNEE_COLUMNS, task_view
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


class SqlTaskQueries:
    def __init__(self, database: Connects) -> None:
        self._database = database

    def get(self, task_id: UUID) -> TaskView | None:
        with self._database.connect() as connection:
            one = select(tasks).where(_T.external_id == task_id, _T.deleted_at.is_(None))
            views = _task_views(connection, one.subquery("picked"))
        return views[0] if views else None

    def page(self, where: TaskFilter, order: TaskOrder, page: PageRequest) -> Page[TaskView]:
        matches = select(tasks).where(*_conditions(where))
        count = None
        with self._database.connect() as connection:
            if page.count:
                count = connection.execute(_count(where, matches)).scalar_one()
            views = []
            if count is None or count > page.offset:
                ordering = TASK_ORDER[order]
                picked = ordering.page(matches, page).subquery("picked")
                views = _task_views(connection, picked, ordering.reading(picked.c, page))
        return page.page(views, count)


def _count(where: TaskFilter, matches: Select[Any]) -> Select[Any]:
    if where.external_id is None and where.search is None:
        return task_count(where)
    # The tallies know tasks neither by id (at most one task matches: count it by its primary
    # key) nor by their text (a search counts the tasks it finds).
    return select(func.count()).select_from(matches.subquery())


def _conditions(where: TaskFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_T.deleted_at.is_(None)]
    if where.external_id is not None:
        conditions.append(_T.external_id == where.external_id)
    if where.search is not None:
        conditions.append(searching(where.search, _T.name, _T.description))
    return conditions + matching(where, status=_T.status, assignee=_T.assigned_to, type=_T.type)


def _task_views(
    connection: Connection, picked: FromClause, order: Sequence[ColumnElement[Any]] = ()
) -> list[TaskView]:
    """The ``picked`` tasks (a table or a subquery of its rows) with their assignees, in
    ``order``, then their statistics: two statements."""
    query = (
        select(picked, *ASSIGNEE_COLUMNS)
        .select_from(picked.outerjoin(ASSIGNEE, ASSIGNEE.c.external_id == picked.c.assigned_to))
        .order_by(*order)
    )
    rows = connection.execute(query).mappings().all()
    stats = fetch_stats(connection, {row["assigned_to"] for row in rows if row["assigned_to"]})
    return [task_view(row, stats) for row in rows]
