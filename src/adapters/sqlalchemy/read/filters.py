"""Filters as SQL conditions: one translation of a task filter, for the tasks and for their
tallies, and the one text search of the lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_
from sqlalchemy.sql.elements import ColumnElement

from application.read_models import TaskFilter

#: LIKE's own characters, and its escape: a search for "50%" looks for "50%", not "50...".
_LIKE_ESCAPE = "\\"


def matching(
    where: TaskFilter,
    *,
    status: ColumnElement[Any],
    assignee: ColumnElement[Any],
    type: ColumnElement[Any],
) -> list[ColumnElement[bool]]:
    """The filter's status, assignee and type as conditions on the given columns (those of
    ``tasks`` or of ``task_tallies``, which share the three). The task id and the search are
    not among them: only ``tasks`` has the columns they need."""
    conditions: list[ColumnElement[bool]] = []
    if where.impossible:
        conditions.append(false())
    if where.status is not None:
        conditions.append(status == where.status.value)
    if where.assigned_to is not None:
        conditions.append(assignee == where.assigned_to)
    if where.type is not None:
        conditions.append(type == where.type.value)
    return conditions


def searching(text: str, *columns: ColumnElement[Any]) -> ColumnElement[bool]:
    """Rows where any of ``columns`` contains ``text``, whatever the case (ILIKE, with
    LIKE's wildcards in ``text`` taken literally)."""
    escaped = "".join(_LIKE_ESCAPE + c if c in "%_\\" else c for c in text)
    pattern = f"%{escaped}%"
    return or_(*(column.ilike(pattern, escape=_LIKE_ESCAPE) for column in columns))
