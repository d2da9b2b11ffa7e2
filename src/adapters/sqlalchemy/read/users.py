"""Users for display, each with their statistics: a page costs two statements whatever its
size (the count, then the rows with their statistics)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.read.counting import STAT_COLUMNS, stats_by_assignee, stats_from
from adapters.sqlalchemy.read.rows import user_view
from adapters.sqlalchemy.tables import users
from application.read_models import Page, PageRequest, UserFilter, UserView

_U = users.c


class SqlUserQueries:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, user_id: UUID) -> UserView | None:
        conditions = [_U.external_id == user_id, _U.deleted_at.is_(None)]
        with self._engine.connect() as connection:
            views = _user_views(connection, conditions)
        return views[0] if views else None

    def page(self, where: UserFilter, page: PageRequest) -> Page[UserView]:
        conditions: list[ColumnElement[bool]] = [_U.deleted_at.is_(None)]
        if where.external_id is not None:
            conditions.append(_U.external_id == where.external_id)
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
    picked = select(users).where(*conditions).order_by(_U.created_at, _U.external_id)
    if page is not None:
        picked = picked.limit(page.limit).offset(page.offset)
    chosen = picked.cte("chosen")
    stats = stats_by_assignee(select(chosen.c.external_id)).subquery("stats")
    query = (
        select(chosen, *(stats.c[name].label(f"stat_{name}") for name in STAT_COLUMNS))
        .select_from(chosen.outerjoin(stats, stats.c.assigned_to == chosen.c.external_id))
        .order_by(chosen.c.created_at, chosen.c.external_id)
    )
    rows = connection.execute(query).mappings().all()
    return [user_view(row, stats_from(row, "stat_")) for row in rows]
