"""The read side: the query ports that produce what lists and details show, and the read use
cases over them.

Reads that only display go straight to read models through these ports instead of loading
aggregates, so that a page with statistics costs a fixed handful of queries, not one per row.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol
from uuid import UUID

from application.cursors import Cursors
from application.errors import NotFound
from application.paging import Page, PageRequest, Position
from application.read_models import (
    HistoryEntry,
    TaskFilter,
    TaskOrder,
    TaskView,
    UserFilter,
    UserView,
)


class TaskQueries(Protocol):
    def get(self, task_id: UUID) -> TaskView | None: ...

    def page(self, where: TaskFilter, order: TaskOrder, page: PageRequest) -> Page[TaskView]:
        """At most three statements (count, rows, assignees' statistics), whatever the size;
        a keyset page reads through the order's index from its position, never scanning."""
        ...


class UserQueries(Protocol):
    def get(self, user_id: UUID) -> UserView | None: ...

    def page(self, where: UserFilter, page: PageRequest) -> Page[UserView]:
        """Users with their statistics in a fixed number of statements, never one per user."""
        ...


class HistoryQueries(Protocol):
    def page(self, task_id: UUID, page: PageRequest) -> Page[HistoryEntry] | None:
        """The task's events, newest first; None when there is no such (non-deleted) task."""
        ...


class ListTasks:
    def __init__(self, tasks: TaskQueries, cursors: Cursors) -> None:
        self._tasks = tasks
        self._cursors = cursors

    def __call__(
        self,
        where: TaskFilter,
        order: TaskOrder = TaskOrder.CREATED_AT_DESC,
        page: PageRequest | None = None,
        cursor: str | None = None,
    ) -> Page[TaskView]:
        scope = f"tasks {order.value} {where!r}"
        request = _starting(page or PageRequest(), self._cursors, cursor, scope)

        def position(task: TaskView) -> Position:
            return Position(
                task.deadline if order.by_deadline else task.created_at, task.external_id
            )

        return self._cursors.around(self._tasks.page(where, order, request), scope, position)


class GetTask:
    def __init__(self, tasks: TaskQueries) -> None:
        self._tasks = tasks

    def __call__(self, task_id: UUID) -> TaskView:
        view = self._tasks.get(task_id)
        if view is None:
            raise NotFound("Task", task_id)
        return view


class ListUsers:
    def __init__(self, users: UserQueries, cursors: Cursors) -> None:
        self._users = users
        self._cursors = cursors

    def __call__(
        self, where: UserFilter, page: PageRequest | None = None, cursor: str | None = None
    ) -> Page[UserView]:
        scope = f"users {where!r}"
        request = _starting(page or PageRequest(), self._cursors, cursor, scope)
        return self._cursors.around(self._users.page(where, request), scope, _user_position)


class GetUser:
    def __init__(self, users: UserQueries) -> None:
        self._users = users

    def __call__(self, user_id: UUID) -> UserView:
        view = self._users.get(user_id)
        if view is None:
            raise NotFound("User", user_id)
        return view


class TaskHistory:
    def __init__(self, history: HistoryQueries) -> None:
        self._history = history

    def __call__(self, task_id: UUID, page: PageRequest | None = None) -> Page[HistoryEntry]:
        entries = self._history.page(task_id, page or PageRequest())
        if entries is None:
            raise NotFound("Task", task_id)
        return entries


def _starting(page: PageRequest, cursors: Cursors, cursor: str | None, scope: str) -> PageRequest:
    """The request, starting at the cursor's position when there is one."""
    return page if cursor is None else replace(page, keyset=cursors.read(cursor, scope))


def _user_position(user: UserView) -> Position:
    return Position(user.created_at, user.external_id)
