"""Tasks for display: a page costs three statements whatever its size (the count, the rows
with their assignees, the assignees' statistics); one task costs two."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection, Engine, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.read.counting import fetch_stats, task_count
from adapters.sqlalchemy.read.filters import matching
from adapters.sqlalchemy.read.rows import ASSIGNEE, ASSIGNEE_COLUMNS, task_view
from adapters.sqlalchemy.tables import tasks
from application.read_models import Page, PageRequest, TaskFilter, TaskOrder, TaskView

_T = tasks.c
# Tasks without a deadline sort as if it were infinitely far: last going up, first going down
# (PostgreSQL's own default, spelled out so that it reads as the rule it is).
TASK_ORDER = {
    TaskOrder.CREATED_AT: (_T.created_at.asc(), _T.external_id.asc()),
    TaskOrder.CREATED_AT_DESC: (_T.created_at.desc(), _T.external_id.desc()),
    TaskOrder.DEADLINE: (_T.deadline.asc().nulls_last(), _T.external_id.asc()),
    TaskOrder.DEADLINE_DESC: (_T.deadline.desc().nulls_first(), _T.external_id.desc()),
}


class SqlTaskQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, task_id: UUID) -> TaskView | None:
        with self._engine.connect() as connection:
            views = _task_views(connection, [_T.external_id == task_id, _T.deleted_at.is_(None)])
        return views[0] if views else None

    def page(self, where: TaskFilter, order: TaskOrder, page: PageRequest) -> Page[TaskView]:
        conditions = _conditions(where)
        with self._engine.connect() as connection:
            if where.external_id is not None:
                # At most one task matches, and the tallies do not know tasks by id: fetch
                # it, and the count is what came back.
                found = _task_views(connection, conditions)
                items = found[page.offset : page.offset + page.limit]
                return Page(items=items, count=len(found), offset=page.offset, limit=page.limit)
            count = connection.execute(task_count(where)).scalar_one()
            items = (
                _task_views(connection, conditions, (order, page)) if count > page.offset else []
            )
        return Page(items=items, count=count, offset=page.offset, limit=page.limit)


def _conditions(where: TaskFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_T.deleted_at.is_(None)]
    if where.external_id is not None:
        conditions.append(_T.external_id == where.external_id)
    return conditions + matching(where, status=_T.status, assignee=_T.assigned_to, type=_T.type)


def _task_views(
    connection: Connection,
    conditions: list[ColumnElement[bool]],
    paging: tuple[TaskOrder, PageRequest] | None = None,
) -> list[TaskView]:
    query = (
        select(tasks, *ASSIGNEE_COLUMNS)
        .select_from(tasks.outerjoin(ASSIGNEE, ASSIGNEE.c.external_id == _T.assigned_to))
        .where(*conditions)
    )
    if paging is not None:
        order, page = paging
        query = query.order_by(*TASK_ORDER[order]).limit(page.limit).offset(page.offset)
    rows = connection.execute(query).mappings().all()
    stats = fetch_stats(connection, {row["assigned_to"] for row in rows if row["assigned_to"]})
    return [task_view(row, stats) for row in rows]
