"""A task's history for display, newest first: a page costs two statements."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select

from adapters.sqlalchemy.enclosing import Connects
from adapters.sqlalchemy.read.rows import history_entry
from adapters.sqlalchemy.tables import task_events, tasks, users
from application.paging import Page, PageRequest
from application.read_models import HistoryEntry

_T, _E = tasks.c, task_events.c


class SqlHistoryQueries:
    def __init__(self, database: Connects) -> None:
        self._database = database

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
            .limit(page.fetch)
            .offset(page.offset)
        )
        with self._database.connect() as connection:
            count = connection.execute(counted).scalar_one_or_none()
            if count is None:
                return None
            rows = connection.execute(entries).mappings().all() if count > page.offset else []
        return page.page([history_entry(row) for row in rows], count)
