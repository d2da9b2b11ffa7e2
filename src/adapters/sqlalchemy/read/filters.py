"""A task filter as SQL conditions: one translation, for the tasks and for their tallies."""

from __future__ import annotations

from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from application.read_models import TaskFilter


def matching(
    where: TaskFilter,
    *,
    status: ColumnElement[Any],
    assignee: ColumnElement[Any],
    type: ColumnElement[Any],
) -> list[ColumnElement[bool]]:
    """The filter's status, assignee and type as conditions on the given columns (those of
    ``tasks`` or of ``task_tallies``, which share the three). The task id is not among them:
    only ``tasks`` has it."""
    conditions: list[ColumnElement[bool]] = []
    if where.status is not None:
        conditions.append(status == where.status.value)
    if where.assigned_to is not None:
        conditions.append(assignee == where.assigned_to)
    if where.type is not None:
        conditions.append(type == where.type.value)
    return conditions
