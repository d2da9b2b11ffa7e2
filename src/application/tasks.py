"""Use cases that change tasks. Each loads what it needs, asks the policy, lets the aggregate
apply its rules, commits, and returns what the task looks like now."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from uuid import UUID

from application.errors import NotFound
from application.policy import (
    Actor,
    authorize,
    may_assign_task,
    may_delete_task,
    may_edit_task,
    may_work_on_task,
)
from application.ports import Clock, UnitOfWork
from application.queries import TaskQueries
from application.read_models import TaskView
from domain.errors import TaskExpired
from domain.status import TaskType
from domain.task import Task


def _locked_task(uow: UnitOfWork, task_id: UUID) -> Task:
    task = uow.tasks.get(task_id, for_update=True)
    if task is None:
        raise NotFound("Task", task_id)
    return task


@contextmanager
def _keeping_expiry(uow: UnitOfWork) -> Iterator[None]:
    """An overdue task fails instead of changing: keep that failure, then report it."""
    try:
        yield
    except TaskExpired:
        uow.commit()
        raise


class _TaskCommand:
    def __init__(self, uow: UnitOfWork, clock: Clock, tasks: TaskQueries) -> None:
        self._uow = uow
        self._clock = clock
        self._tasks = tasks

    def _view(self, task_id: UUID) -> TaskView:
        view = self._tasks.get(task_id)
        if view is None:  # deleted by someone else in between
            raise NotFound("Task", task_id)
        return view


class CreateTask(_TaskCommand):
    def __call__(
        self,
        actor: Actor,
        *,
        name: str,
        description: str = "",
        type: TaskType = TaskType.NORMAL,
        deadline: datetime | None = None,
    ) -> TaskView:
        with self._uow:
            task = Task.create(
                name=name,
                description=description,
                type=type,
                deadline=deadline,
                created_by=actor.user_id,
                now=self._clock.now(),
            )
            self._uow.tasks.add(task)
            self._uow.commit()
        return self._view(task.external_id)


class UpdateTask(_TaskCommand):
    def __call__(
        self,
        actor: Actor,
        task_id: UUID,
        *,
        name: str | None = None,
        description: str | None = None,
        type: TaskType | None = None,
        deadline: datetime | None = None,
    ) -> TaskView:
        with self._uow, _keeping_expiry(self._uow):
            task = _locked_task(self._uow, task_id)
            authorize(may_edit_task(actor, task), "edit this task")
            task.edit(
                actor_id=actor.user_id,
                now=self._clock.now(),
                name=name,
                description=description,
                type=type,
                deadline=deadline,
            )
            self._uow.commit()
        return self._view(task_id)


class DeleteTask:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, actor: Actor, task_id: UUID) -> None:
        with self._uow:
            task = _locked_task(self._uow, task_id)
            authorize(may_delete_task(actor, task), "delete this task")
            task.delete(actor_id=actor.user_id, now=self._clock.now())
            self._uow.commit()


class AssignTask(_TaskCommand):
    def __call__(self, actor: Actor, task_id: UUID, user_id: UUID) -> TaskView:
        with self._uow, _keeping_expiry(self._uow):
            # The assignee is locked, so they cannot be deleted before this assignment commits;
            # and first, as a user deletion locks the user before their tasks: no deadlock.
            if self._uow.users.get(user_id, for_update=True) is None:
                raise NotFound("User", user_id)
            task = _locked_task(self._uow, task_id)
            authorize(may_assign_task(actor, task, user_id), "assign this task")
            task.assign(user_id, actor_id=actor.user_id, now=self._clock.now())
            self._uow.commit()
        return self._view(task_id)


class StartTask(_TaskCommand):
    def __call__(self, actor: Actor, task_id: UUID) -> TaskView:
        with self._uow, _keeping_expiry(self._uow):
            task = _locked_task(self._uow, task_id)
            authorize(may_work_on_task(actor, task), "start this task")
            task.start(actor_id=actor.user_id, now=self._clock.now())
            self._uow.commit()
        return self._view(task_id)


class CompleteTask(_TaskCommand):
    """Locks the task first, so a concurrent sweep either waits for it or wins outright."""

    def __call__(self, actor: Actor, task_id: UUID) -> TaskView:
        with self._uow, _keeping_expiry(self._uow):
            task = _locked_task(self._uow, task_id)
            authorize(may_work_on_task(actor, task), "complete this task")
            task.complete(actor_id=actor.user_id, now=self._clock.now())
            self._uow.commit()
        return self._view(task_id)
