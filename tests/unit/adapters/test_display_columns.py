"""The display reads fetch what the representations show: never a user's password hash or
token version, nor a task's deletion or reminder bookkeeping."""

from __future__ import annotations

import pytest
from sqlalchemy import Select

from adapters.sqlalchemy.read import tasks, users
from adapters.sqlalchemy.read.filters import FilterShape
from adapters.sqlalchemy.read.keyset import PageShape
from application.paging import PageRequest
from application.read_models import TaskFilter, TaskOrder, UserFilter

_FIRST = PageShape.of(PageRequest(limit=30))
_USER_READS = {
    "one user": users._ONE_USER,
    "a page of users": users._page(FilterShape.of(UserFilter()), _FIRST, counted=True),
}
_TASK_READS = {
    "one task": tasks._ONE_TASK,
    "a page of tasks": tasks._page(
        FilterShape.of(TaskFilter()), TaskOrder.CREATED_AT, _FIRST, counted=True
    ),
}


def _columns(statement: Select[object]) -> set[str]:
    return {str(column.key) for column in statement.selected_columns}


@pytest.mark.parametrize("read", _USER_READS.values(), ids=_USER_READS.keys())
def test_a_users_display_read_leaves_their_secrets_in_the_database(read: Select[object]) -> None:
    assert not _columns(read) & {"password_hash", "token_version", "email_key", "deleted_at"}
    assert {"external_id", "email", "name", "is_admin", "version"} <= _columns(read)


@pytest.mark.parametrize("read", _TASK_READS.values(), ids=_TASK_READS.keys())
def test_a_tasks_display_read_fetches_what_is_shown(read: Select[object]) -> None:
    assert not _columns(read) & {"deleted_at", "reminded_for", "assignee_password_hash"}
    assert {"external_id", "name", "status", "version", "assignee_email"} <= _columns(read)
