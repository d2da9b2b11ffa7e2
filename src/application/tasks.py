"""Use cases that change tasks. Each obtains the task it changes through one step (locked, the
caller allowed, an overdue task failed first), lets the aggregate apply its rules, commits, and
returns what the task looks like now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from application.errors import NotFound, require_version
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


def _shown(tasks: TaskQueries, task_id: UUID) -> TaskView:
    view = tasks.get(task_id)
    if view is None:  # deleted by someone else in between
        raise NotFound("Task", task_id)
    return view


class _TaskCommand:
    """A command on an existing task. :meth:`_task_to_change` is the only way it gets one."""

    #: Whether the command is refused once the task has failed; deleting is the one that is not.
    _refused_once_failed: ClassVar[bool] = True

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def _task_to_change(
        self,
        task_id: UUID,
        now: datetime,
        allowed: Callable[[Task], bool],
        action: str,
        expected_version: int | None,
    ) -> Task:
        """The task, locked, once the caller may ``action`` it and it is still at
        ``expected_version`` (None: at any; a stale one is :class:`PreconditionFailed`, and
        nothing changes, not even an overdue task's failure: the caller acted on old news).

        Past its deadline an open task's only move is to fail, whether or not the sweep has run
        yet: it fails here, that failure is committed, and the command is refused with
        :class:`TaskExpired` (a deletion goes on: it commits the failure with itself). Being
        the one way in, no command can forget the failure; the verbs' own refusal of an
        overdue task is a guard behind this step.
        """
        task = self._uow.tasks.get(task_id, for_update=True)
        if task is None:
            raise NotFound("Task", task_id)
        authorize(allowed(task), action)
        require_version("Task", task_id, task.version, expected_version)
        if task.expire(now) and self._refused_once_failed:
            self._uow.commit()
            assert task.deadline is not None
            raise TaskExpired(task.external_id, task.deadline)
        return task


class _ShownTaskCommand(_TaskCommand):
    """A command that answers with the task as it is after the change."""

    def __init__(self, uow: UnitOfWork, clock: Clock, tasks: TaskQueries) -> None:
        super().__init__(uow, clock)
        self._tasks = tasks


class CreateTask:
    def __init__(self, uow: UnitOfWork, clock: Clock, tasks: TaskQueries) -> None:
        self._uow = uow
        self._clock = clock
        self._tasks = tasks

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
        return _shown(self._tasks, task.external_id)


class UpdateTask(_ShownTaskCommand):
    def __call__(
        self,
        actor: Actor,
        task_id: UUID,
        *,
        name: str | None = None,
        description: str | None = None,
        type: TaskType | None = None,
        deadline: datetime | None = None,
        expected_version: int | None = None,
    ) -> TaskView:
        now = self._clock.now()
        with self._uow:
            task = self._task_to_change(
                task_id,
                now,
                lambda task: may_edit_task(actor, task),
                "edit this task",
                expected_version,
            )
            task.edit(
                actor_id=actor.user_id,
                now=now,
                name=name,
                description=description,
                type=type,
                deadline=deadline,
            )
            self._uow.commit()
        return _shown(self._tasks, task_id)


class DeleteTask(_TaskCommand):
    _refused_once_failed = False

    def __call__(self, actor: Actor, task_id: UUID, *, expected_version: int | None = None) -> None:
        now = self._clock.now()
        with self._uow:
            task = self._task_to_change(
                task_id,
                now,
                lambda task: may_delete_task(actor, task),
                "delete this task",
                expected_version,
            )
            task.delete(actor_id=actor.user_id, now=now)
            self._uow.commit()


class AssignTask(_ShownTaskCommand):
    def __call__(
        self,
        actor: Actor,
        task_id: UUID,
        user_id: UUID,
        *,
        expected_version: int | None = None,
    ) -> TaskView:
        now = self._clock.now()
        with self._uow:
            # The assignee is locked, so they cannot be deleted before this assignment commits;
            # and first, as a user deletion locks the user before their tasks: no deadlock.
            if self._uow.users.get(user_id, for_update=True) is None:
                raise NotFound("User", user_id)
            task = self._task_to_change(
                task_id,
                now,
                lambda task: may_assign_task(actor, task, user_id),
                "assign this task",
                expected_version,
            )
            task.assign(user_id, actor_id=actor.user_id, now=now)
            self._uow.commit()
        return _shown(self._tasks, task_id)


class StartTask(_ShownTaskCommand):
    def __call__(
        self, actor: Actor, task_id: UUID, *, expected_version: int | None = None
    ) -> TaskView:
        now = self._clock.now()
        with self._uow:
            task = self._task_to_change(
                task_id,
                now,
                lambda task: may_work_on_task(actor, task),
                "start this task",
                expected_version,
            )
            task.start(actor_id=actor.user_id, now=now)
            self._uow.commit()
        return _shown(self._tasks, task_id)


class CompleteTask(_ShownTaskCommand):
    """Locks the task first, so a concurrent sweep either waits for it or wins outright."""

    def __call__(
        self, actor: Actor, task_id: UUID, *, expected_version: int | None = None
    ) -> TaskView:
        now = self._clock.now()
        with self._uow:
            task = self._task_to_change(
                task_id,
                now,
                lambda task: may_work_on_task(actor, task),
                "complete this task",
                expected_version,
            )
            task.complete(actor_id=actor.user_id, now=now)
            self._uow.commit()
        return _shown(self._tasks, task_id)
