"""Users for display, each with their statistics: a page costs two statements whatever its
size (the count, unless skipped; then the rows with their statistics)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Connection, FromClause, func, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.enclosing import Connects
from adapters.sqlalchemy.read.counting import STAT_COLUMNS, stats_by_assignee, stats_from
from adapters.sqlalchemy.read.filters import searching
from adapters.sqlalchemy.read.keyset import Ordering
from adapters.sqlalchemy.read.rows import user_view
from adapters.sqlalchemy.tables import users
from application.paging import Page, PageRequest
from application.read_models import UserFilter, UserView

_U = users.c
USER_ORDER = Ordering("created_at", ascending=True)


class SqlUserQueries:
    def __init__(self, database: Connects) -> None:
        self._database = database

    def get(self, user_id: UUID) -> UserView | None:
        conditions = [_U.external_id == user_id, _U.deleted_at.is_(None)]
        with self._database.connect() as connection:
            views = _user_views(connection, select(users).where(*conditions).cte("chosen"))
        return views[0] if views else None

    def page(self, where: UserFilter, page: PageRequest) -> Page[UserView]:
        conditions: list[ColumnElement[bool]] = [_U.deleted_at.is_(None)]
        if where.external_id is not None:
            conditions.append(_U.external_id == where.external_id)
        if where.search is not None:
            conditions.append(searching(where.search, _U.name, _U.email))
        count = None
        with self._database.connect() as connection:
            if page.count:
                count = connection.execute(
                    select(func.count()).select_from(users).where(*conditions)
                ).scalar_one()
            items = []
            if count is None or count > page.offset:
                picked = USER_ORDER.page(select(users).where(*conditions), page)
                items = _user_views(connection, picked.cte("chosen"), page)
        return page.page(items, count)


def _user_views(
    connection: Connection, chosen: FromClause, page: PageRequest | None = None
) -> list[UserView]:
    """The ``chosen`` users (a table's rows or a page of them) and their statistics in one
    statement: the page is picked first, then only its users' tasks are counted."""
    stats = stats_by_assignee(select(chosen.c.external_id)).subquery("stats")
    query = (
        select(chosen, *(stats.c[name].label(f"stat_{name}") for name in STAT_COLUMNS))
        .select_from(chosen.outerjoin(stats, stats.c.assigned_to == chosen.c.external_id))
        .order_by(*USER_ORDER.reading(chosen.c, page or PageRequest()))
    )
    rows = connection.execute(query).mappings().all()
    return [user_view(row, stats_from(row, "stat_")) for row in rows]
