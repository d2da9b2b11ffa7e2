"""Fakes of the read-side query ports, computed from what the fake repositories committed, so
that a command use case returning a view shows what it really committed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from application.paging import Page, PageRequest, Position
from application.read_models import (
    ActorView,
    HistoryEntry,
    TaskFilter,
    TaskOrder,
    TaskView,
    UserFilter,
    UserStats,
    UserView,
)
from domain.status import TaskStatus
from domain.task import Task
from domain.user import User

if TYPE_CHECKING:
    from unit.fakes import FakeUnitOfWork

T = TypeVar("T")


def _page(
    ordered: list[T],
    request: PageRequest,
    place: Callable[[T], Position] | None = None,
    ascending: bool = True,
) -> Page[T]:
    """The page of ``ordered`` (ascending by ``place``: descending lists pass it reversed
    with ``ascending=False``) that ``request`` asks for, read as the SQL reads it."""
    rows = list(reversed(ordered)) if request.backwards else ordered
    if request.keyset is None:
        return request.page(rows[request.offset : request.offset + request.fetch], len(ordered))
    assert place is not None, "this list has no keyset"
    mark, up = _rank(request.keyset.position), ascending != request.backwards
    rows = [row for row in rows if (_rank(place(row)) > mark) == up and _rank(place(row)) != mark]
    return request.page(rows[: request.fetch], len(ordered))


def _rank(at: Position) -> tuple[bool, datetime, UUID]:
    """Sort key of a position: NULL keys as if infinitely far, as the SQL sorts them."""
    return (at.key is None, at.key or datetime.min.replace(tzinfo=UTC), at.external_id)


def _task_place(order: TaskOrder) -> Callable[[TaskView], Position]:
    def place(task: TaskView) -> Position:
        return Position(task.deadline if order.by_deadline else task.created_at, task.external_id)

    return place


def _user_place(user: UserView) -> Position:
    return Position(user.created_at, user.external_id)


class _Reads:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def _live_tasks(self) -> list[Task]:
        return [task for task in self._uow.tasks.saved_all() if not task.is_deleted]

    def _user_view(self, user: User, tasks: list[Task] | None = None) -> UserView:
        tasks = self._live_tasks() if tasks is None else tasks
        mine = [task.status for task in tasks if task.assigned_to == user.external_id]
        stats = UserStats(
            assigned=len(mine),
            completed=mine.count(TaskStatus.COMPLETED),
            in_progress=mine.count(TaskStatus.IN_PROGRESS),
            failed=mine.count(TaskStatus.FAILED),
        )
        return UserView(
            external_id=user.external_id,
            email=user.email.value,
            name=user.name,
            is_admin=user.is_admin,
            stats=stats,
            created_at=user.created_at,
            updated_at=user.updated_at,
            version=user.version,
        )


class FakeUserQueries(_Reads):
    def get(self, user_id: UUID) -> UserView | None:
        user = self._uow.users.saved(user_id)
        return None if user is None or user.is_deleted else self._user_view(user)

    def page(self, where: UserFilter, page: PageRequest) -> Page[UserView]:
        users = [u for u in self._uow.users.saved_all() if not u.is_deleted]
        if where.external_id is not None:
            users = [u for u in users if u.external_id == where.external_id]
        tasks = self._live_tasks()
        views = sorted(
            (self._user_view(u, tasks) for u in users), key=lambda u: _rank(_user_place(u))
        )
        return _page(views, page, _user_place)


class FakeTaskQueries(_Reads):
    def get(self, task_id: UUID) -> TaskView | None:
        task = self._uow.tasks.saved(task_id)
        return None if task is None or task.is_deleted else self._task_view(task)

    def page(self, where: TaskFilter, order: TaskOrder, page: PageRequest) -> Page[TaskView]:
        wanted = {
            "external_id": where.external_id,
            "status": where.status,
            "assigned_to": where.assigned_to,
            "type": where.type,
        }
        tasks = [
            task
            for task in self._live_tasks()
            if all(v is None or getattr(task, k) == v for k, v in wanted.items())
        ]
        place = _task_place(order)
        views = sorted((self._task_view(task) for task in tasks), key=lambda t: _rank(place(t)))
        ascending = not order.value.startswith("-")
        return _page(views if ascending else views[::-1], page, place, ascending)

    def _task_view(self, task: Task) -> TaskView:
        assignee = None if task.assigned_to is None else self._uow.users.saved(task.assigned_to)
        return TaskView(
            external_id=task.external_id,
            name=task.name,
            description=task.description,
            assigned_to=None if assignee is None else self._user_view(assignee),
            status=task.status,
            type=task.type,
            deadline=task.deadline,
            completed_at=task.completed_at,
            created_by=task.created_by,
            created_at=task.created_at,
            updated_at=task.updated_at,
            version=task.version,
            remind_before_seconds=task.remind_before_seconds,
        )


class FakeHistoryQueries(_Reads):
    def page(self, task_id: UUID, page: PageRequest) -> Page[HistoryEntry] | None:
        task = self._uow.tasks.saved(task_id)
        if task is None or task.is_deleted:
            return None
        entries = [
            HistoryEntry(
                at=event.at,
                actor=self._actor(event.actor_id),
                type=event.type,
                from_status=event.from_status,
                to_status=event.to_status,
                changes=event.changes,
            )
            for event in reversed(self._uow.events_of(task_id))
        ]
        return _page(entries, page)

    def _actor(self, user_id: UUID | None) -> ActorView | None:
        user = None if user_id is None else self._uow.users.saved(user_id)
        if user is None:
            return None
        return ActorView(external_id=user.external_id, name=user.name, email=user.email.value)
