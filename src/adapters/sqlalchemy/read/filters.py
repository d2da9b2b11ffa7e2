"""Filters as SQL conditions: one translation of a task filter, for the tasks and for their
tallies, and the one text search of the lists.

A condition is built for a filter's :class:`FilterShape` (which of its parts are set) with
the values as bound parameters (:func:`filter_values`), so that one built statement serves
every filter of that shape.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from sqlalchemy import BindParameter, String, Subquery, Table, bindparam, false, or_, select
from sqlalchemy.sql import Executable
from sqlalchemy.sql.elements import ColumnElement

from adapters.sqlalchemy.prepared import prepared
from adapters.sqlalchemy.tables import NOBODY
from application.read_models import TaskFilter, UserFilter

#: LIKE's own characters, and its escape: a search for "50%" looks for "50%", not "50...".
_LIKE_ESCAPE = "\\"
#: The parameters a filter binds, by the part of the filter they come from.
EXTERNAL_ID, STATUS, ASSIGNED_TO, TYPE, SEARCH = (
    "filter_external_id",
    "filter_status",
    "filter_assigned_to",
    "filter_type",
    "filter_search",
)

E = TypeVar("E", bound=Executable)


class FilterShape(NamedTuple):
    """Which parts of a filter are set (and whether it can match nothing but nothing)."""

    external_id: bool = False
    status: bool = False
    assigned_to: bool = False
    #: The filter asks for unassigned tasks (the tallies know them by no user's id).
    nobody: bool = False
    type: bool = False
    search: bool = False
    impossible: bool = False

    def planned(self, statement: E) -> E:
        """``statement`` (of this shape) prepared on the server if it filters nothing. The
        best plan for a filter can depend on its values (how many tasks a user has, how
        common a status is, the text sought): one plan kept for every value answered one
        user's pending tasks among 1,000,000 three times slower than planning each time.
        An unfiltered page's plan follows from its order alone."""
        return prepared(statement) if self == _UNFILTERED else statement

    @classmethod
    def of(cls, where: TaskFilter | UserFilter) -> FilterShape:
        shape = cls(external_id=where.external_id is not None, search=where.search is not None)
        if isinstance(where, UserFilter):
            return shape
        return shape._replace(
            status=where.status is not None,
            assigned_to=where.assigned_to is not None,
            nobody=where.assigned_to == NOBODY,
            type=where.type is not None,
            impossible=where.impossible,
        )


_UNFILTERED = FilterShape()


def filter_values(where: TaskFilter | UserFilter) -> dict[str, Any]:
    """The values the conditions of ``where``'s shape bind."""
    values: dict[str, Any] = {EXTERNAL_ID: where.external_id}
    if isinstance(where, TaskFilter):
        values[STATUS] = None if where.status is None else where.status.value
        values[ASSIGNED_TO] = where.assigned_to
        values[TYPE] = None if where.type is None else where.type.value
    if where.search is not None:
        escaped = "".join(_LIKE_ESCAPE + c if c in "%_\\" else c for c in where.search)
        values[SEARCH] = f"%{escaped}%"
    return values


def matching(
    shape: FilterShape,
    *,
    status: ColumnElement[Any],
    assignee: ColumnElement[Any],
    type: ColumnElement[Any],
) -> list[ColumnElement[bool]]:
    """The filter's status, assignee and type as conditions on the given columns (those of
    ``tasks`` or of ``task_tallies``, which share the three). The task id and the search are
    not among them: only ``tasks`` has the columns they need."""
    conditions: list[ColumnElement[bool]] = []
    if shape.impossible:
        conditions.append(false())
    if shape.status:
        conditions.append(status == bindparam(STATUS, type_=status.type))
    if shape.assigned_to:
        conditions.append(assignee == bindparam(ASSIGNED_TO, type_=assignee.type))
    if shape.type:
        conditions.append(type == bindparam(TYPE, type_=type.type))
    return conditions


def identified(column: ColumnElement[Any]) -> ColumnElement[bool]:
    """Rows whose ``column`` is the filter's external id."""
    return column == bindparam(EXTERNAL_ID, type_=column.type)


def searching(*columns: ColumnElement[Any]) -> ColumnElement[bool]:
    """Rows where any of ``columns`` contains the filter's search, whatever the case (ILIKE,
    with LIKE's wildcards in the search taken literally)."""
    pattern: BindParameter[str] = bindparam(SEARCH, type_=String())
    return or_(*(column.ilike(pattern, escape=_LIKE_ESCAPE) for column in columns))


def picked_by_id(table: Table, key: str) -> Subquery:
    """The live row of ``table`` whose ``external_id`` is bound as ``key``: the ``picked``
    subquery a read of one row joins its details to."""
    external_id = table.c.external_id
    return (
        select(table)
        .where(external_id == bindparam(key, type_=external_id.type), table.c.deleted_at.is_(None))
        .subquery("picked")
    )
