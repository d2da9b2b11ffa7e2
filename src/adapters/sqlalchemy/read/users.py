"""Users for display, each with their statistics: a page costs one statement whatever its
size (the rows with their statistics and the count, as for tasks); one user costs one.

As for tasks, each statement is built once per shape, its values bound parameters.
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
    StatKeys,
    counted_page,
    stats_from,
    stats_of,
    with_total,
)
from adapters.sqlalchemy.read.filters import (
    FilterShape,
    filter_values,
    identified,
    picked_by_id,
    searching,
)
from adapters.sqlalchemy.read.keys import prefixed
from adapters.sqlalchemy.read.keyset import Ordering, PageShape, page_values
from adapters.sqlalchemy.read.rows import USER_VIEW_COLUMNS, user_view
from adapters.sqlalchemy.tables import users
from application.paging import Page, PageRequest
from application.read_models import UserFilter, UserView

_U = users.c
USER_ORDER = Ordering("created_at", ascending=True)
USER_ID: Final = "user_id"
_STATS: Final = "stat_"
_STAT_KEYS: Final = prefixed(StatKeys, _STATS)


class SqlUserQueries:
    def __init__(self, database: Connects) -> None:
        self._database = database

    def get(self, user_id: UUID) -> UserView | None:
        rows = self._database.fetch(_ONE_USER, {USER_ID: user_id})
        return user_view(rows[0], stats_from(rows[0], _STAT_KEYS)) if rows else None

    def page(self, where: UserFilter, page: PageRequest) -> Page[UserView]:
        shape = FilterShape.of(where)
        values = filter_values(where) | page_values(page)
        statement = _page(shape, PageShape.of(page), counted=page.count)
        count = _count(shape) if page.count else None
        rows, total = counted_page(self._database, statement, count, values)
        return page.page([user_view(row, stats_from(row, _STAT_KEYS)) for row in rows], total)


@cache
def _count(shape: FilterShape) -> Select[Any]:
    return shape.planned(select(func.count()).select_from(users).where(*_conditions(shape)))


@cache
def _page(shape: FilterShape, page: PageShape, *, counted: bool) -> Select[Any]:
    picked = USER_ORDER.page(select(users).where(*_conditions(shape)), page).subquery("picked")
    rows = _with_stats(picked).order_by(*USER_ORDER.reading(picked.c, page))
    return shape.planned(with_total(rows, _count(shape)) if counted else rows)


def _conditions(shape: FilterShape) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_U.deleted_at.is_(None)]
    if shape.external_id:
        conditions.append(identified(_U.external_id))
    if shape.search:
        conditions.append(searching(_U.name, _U.email))
    return conditions


def _with_stats(picked: FromClause) -> Select[Any]:
    """The ``picked`` users (a subquery of their rows) with their statistics: the page is
    picked first, then only its users' tasks are counted."""
    stats = stats_of(picked.c.external_id, "stats")
    counts = [stats.c[name].label(_STATS + name) for name in STAT_COLUMNS]
    shown = [picked.c[name] for name in USER_VIEW_COLUMNS]
    return select(*shown, *counts).select_from(picked.outerjoin(stats, true()))


_ONE_USER: Final = prepared(_with_stats(picked_by_id(users, USER_ID)))
