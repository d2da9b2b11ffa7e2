"""Query adapters: pages of DTOs for display, in a fixed number of statements.

A page of tasks costs three statements whatever its size (count, rows with their assignees,
the assignees' statistics); a page of users costs two (count, rows with statistics); a task's
history two. Every read ignores soft-deleted tasks and users, except that a task still shows
the (deleted) user it was assigned to and history still names a deleted actor: that is history.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy import tallies
from adapters.sqlalchemy.read_rows import (
    ASSIGNEE,
    ASSIGNEE_COLUMNS,
    TASK_ORDER,
    history_entry,
    task_conditions,
    task_view,
    user_view,
)
from adapters.sqlalchemy.statistics import STAT_COLUMNS, fetch_stats, stats_from
from adapters.sqlalchemy.tables import task_events, tasks, users
from application.read_models import (
    HistoryEntry,
    Page,
    PageRequest,
    TaskFilter,
    TaskOrder,
    TaskView,
    UserFilter,
    UserView,
)

_T, _E = tasks.c, task_events.c


class SqlTaskQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, task_id: UUID) -> TaskView | None:
        with self._engine.connect() as connection:
            views = _task_views(connection, [_T.external_id == task_id, _T.deleted_at.is_(None)])
        return views[0] if views else None

    def page(self, where: TaskFilter, order: TaskOrder, page: PageRequest) -> Page[TaskView]:
        conditions = task_conditions(where)
        with self._engine.connect() as connection:
            if tallies.can_count(where):
                counted = tallies.task_count(where)
            else:
                counted = select(func.count()).select_from(tasks).where(*conditions)
            count = connection.execute(counted).scalar_one()
            items = (
                _task_views(connection, conditions, (order, page)) if count > page.offset else []
            )
        return Page(items=items, count=count, offset=page.offset, limit=page.limit)


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


class SqlUserQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, user_id: UUID) -> UserView | None:
        conditions = [users.c.external_id == user_id, users.c.deleted_at.is_(None)]
        with self._engine.connect() as connection:
            views = _user_views(connection, conditions)
        return views[0] if views else None

    def page(self, where: UserFilter, page: PageRequest) -> Page[UserView]:
        conditions: list[ColumnElement[bool]] = [users.c.deleted_at.is_(None)]
        if where.external_id is not None:
            conditions.append(users.c.external_id == where.external_id)
        with self._engine.connect() as connection:
            count = connection.execute(
                select(func.count()).select_from(users).where(*conditions)
            ).scalar_one()
            items = _user_views(connection, conditions, page) if count > page.offset else []
        return Page(items=items, count=count, offset=page.offset, limit=page.limit)


def _user_views(
    connection: Connection, conditions: list[ColumnElement[bool]], page: PageRequest | None = None
) -> list[UserView]:
    """The users and their statistics in one statement: the page is picked first, then only
    its users' tasks are counted."""
    picked = select(users).where(*conditions).order_by(users.c.created_at, users.c.external_id)
    if page is not None:
        picked = picked.limit(page.limit).offset(page.offset)
    chosen = picked.cte("chosen")
    stats = tallies.stats_by_assignee(select(chosen.c.external_id)).subquery("stats")
    query = (
        select(chosen, *(stats.c[name].label(f"stat_{name}") for name in STAT_COLUMNS))
        .select_from(chosen.outerjoin(stats, stats.c.assigned_to == chosen.c.external_id))
        .order_by(chosen.c.created_at, chosen.c.external_id)
    )
    rows = connection.execute(query).mappings().all()
    return [user_view(row, stats_from(row, "stat_")) for row in rows]


class SqlHistoryQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def page(self, task_id: UUID, page: PageRequest) -> Page[HistoryEntry] | None:
        # Grouped by the task, so no row at all means no such (live) task.
        counted = (
            select(func.count(_E.id))
            .select_from(tasks.outerjoin(task_events, _E.task_id == _T.external_id))
            .where(_T.external_id == task_id, _T.deleted_at.is_(None))
            .group_by(_T.external_id)
        )
        actor = users.alias("actor")
        entries = (
            select(
                task_events,
                actor.c.external_id.label("actor_external_id"),
                actor.c.name,
                actor.c.email,
            )
            .select_from(task_events.outerjoin(actor, actor.c.external_id == _E.actor_id))
            .where(_E.task_id == task_id)
            .order_by(_E.at.desc(), _E.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        with self._engine.connect() as connection:
            count = connection.execute(counted).scalar_one_or_none()
            if count is None:
                return None
            rows = connection.execute(entries).mappings().all() if count > page.offset else []
        items = [history_entry(row) for row in rows]
        return Page(items=items, count=count, offset=page.offset, limit=page.limit)
