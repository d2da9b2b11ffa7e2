"""Counts of tasks, for page counts and per-user statistics, read from ``task_tallies``.

The tallies (migration 0003) hold live counts per (assignee, status, type), kept exact by
triggers on ``tasks``: a few rows per user instead of every task of theirs. A key has several
rows only while writers overlap, so every read sums. A page's users are counted inside the
statement that reads the page: never one query per user, let alone per figure.

A page's count rides along with its rows, too (:func:`counted_page`): one statement where
there are rows, the count alone after it only when there are none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, NamedTuple

from sqlalchemy import BigInteger, Connection, Select, cast, false, func, select
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.direct import Row
from adapters.sqlalchemy.enclosing import Connects
from adapters.sqlalchemy.read.filters import FilterShape, matching
from adapters.sqlalchemy.tables import task_tallies
from application.read_models import UserStats
from domain.status import TaskStatus

_L = task_tallies.c


class StatKeys(NamedTuple):
    """The keys of a user's counts in a row (:func:`~adapters.sqlalchemy.read.keys.prefixed`)."""

    assigned: str
    completed: str
    in_progress: str
    failed: str


STAT_COLUMNS: Final = StatKeys._fields
#: The column a counted page's rows carry the whole list's count in.
TOTAL: Final = "page_total"


def with_total(page: Select[Any], count: Select[Any]) -> Select[Any]:
    """``page`` with ``count`` (a statement of one number) as a column of every row: an
    uncorrelated subquery, which PostgreSQL works out once, and only if there is a row."""
    return page.add_columns(count.correlate(None).scalar_subquery().label(TOTAL))


def counted_page(
    database: Connects,
    page: Select[Any],
    count: Select[Any] | None,
    values: Mapping[str, Any],
) -> tuple[list[Row], int | None]:
    """The rows of ``page`` and, unless ``count`` is None, how many the whole list has.
    ``page`` must be built by :func:`with_total` over that ``count``."""
    rows = database.fetch(page, values)
    if count is None:
        return rows, None
    if rows:
        return rows, rows[0][TOTAL]
    [total] = database.fetch(count, values)[0].values()
    return rows, total


def task_count(shape: FilterShape) -> Select[Any]:
    """How many live tasks match a filter of ``shape`` (its task id and search aside: the
    tallies know neither)."""
    conditions = matching(shape, status=_L.status, assignee=_L.assignee, type=_L.type)
    if shape.nobody:
        # The tallies' name for "unassigned" is no user's id: no task is assigned to it.
        conditions.append(false())
    return select(cast(func.coalesce(func.sum(_L.tasks), 0), BigInteger)).where(*conditions)


def _total(status: TaskStatus | None = None) -> ColumnElement[int]:
    if status is None:
        return cast(func.sum(_L.tasks), BigInteger)
    return cast(func.sum(_L.tasks).filter(_L.status == status.value), BigInteger)


def stats_of(assignee: ColumnElement[Any], name: str) -> Any:
    """The statistics of the user whose id is ``assignee`` (a column of the enclosing
    query), as a LATERAL subquery: one row, its counts NULL when the user has no task."""
    return select(*_totals()).where(_L.assignee == assignee).lateral(name)


def _totals() -> list[ColumnElement[int]]:
    return [
        _total().label("assigned"),
        _total(TaskStatus.COMPLETED).label("completed"),
        _total(TaskStatus.IN_PROGRESS).label("in_progress"),
        _total(TaskStatus.FAILED).label("failed"),
    ]


def stats_from(row: Any, keys: StatKeys) -> UserStats:
    """UserStats from a row holding the counts (NULL, from an outer join, means none)."""
    return UserStats(
        assigned=row[keys.assigned] or 0,
        completed=row[keys.completed] or 0,
        in_progress=row[keys.in_progress] or 0,
        failed=row[keys.failed] or 0,
    )


def tasks_by_status(connection: Connection) -> dict[TaskStatus, int]:
    """Live tasks per status, every status named (0 when none): one grouped statement over
    the tallies, cheap enough for every metrics scrape."""
    total = cast(func.sum(_L.tasks), BigInteger)
    rows = connection.execute(select(_L.status, total).group_by(_L.status))
    counts = {TaskStatus(status): int(count or 0) for status, count in rows}
    return {status: counts.get(status, 0) for status in TaskStatus}
