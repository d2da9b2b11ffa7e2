"""Use cases that change tasks. Each obtains the task it changes through one step
(:mod:`application.task_access`: locked, the caller allowed, at the version the caller saw, an
overdue task failed first), lets the aggregate apply its rules, commits, and returns what the
task looks like now."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.errors import NotFound
from application.policy import (
    Actor,
    may_assign_task,
    may_delete_task,
    may_edit_task,
    may_work_on_task,
)
from application.ports import Clock, UnitOfWork
from application.queries import TaskQueries
from application.read_models import TaskView
from application.task_access import ShownTaskCommand, TaskCommand, shown_task
from domain.status import TaskType
from domain.task import Task


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
        remind_before_seconds: int | None = None,
    ) -> TaskView:
        with self._uow:
            task = Task.create(
                name=name,
                description=description,
                type=type,
                deadline=deadline,
                remind_before_seconds=remind_before_seconds,
                created_by=actor.user_id,
                now=self._clock.now(),
            )
            self._uow.tasks.add(task)
            self._uow.commit()
        return shown_task(self._tasks, task.external_id)


class UpdateTask(ShownTaskCommand):
    def __call__(
        self,
        actor: Actor,
        task_id: UUID,
        *,
        name: str | None = None,
        description: str | None = None,
        type: TaskType | None = None,
        deadline: datetime | None = None,
        remind_before_seconds: int | None = None,
        expected_version: int | None = None,
    ) -> TaskView:
        def edit(task: Task, now: datetime) -> None:
            task.edit(
                actor_id=actor.user_id,
                now=now,
                name=name,
                description=description,
                type=type,
                deadline=deadline,
                remind_before_seconds=remind_before_seconds,
            )

        self._change(
            task_id,
            expected_version,
            lambda task: may_edit_task(actor, task),
            "edit this task",
            edit,
        )
        return shown_task(self._tasks, task_id)


class DeleteTask(TaskCommand):
    _refused_once_failed = False

    def __call__(self, actor: Actor, task_id: UUID, *, expected_version: int | None = None) -> None:
        self._change(
            task_id,
            expected_version,
            lambda task: may_delete_task(actor, task),
            "delete this task",
            lambda task, now: task.delete(actor_id=actor.user_id, now=now),
        )


class AssignTask(ShownTaskCommand):
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
        return shown_task(self._tasks, task_id)


class StartTask(ShownTaskCommand):
    def __call__(
        self, actor: Actor, task_id: UUID, *, expected_version: int | None = None
    ) -> TaskView:
        self._change(
            task_id,
            expected_version,
            lambda task: may_work_on_task(actor, task),
            "start this task",
            lambda task, now: task.start(actor_id=actor.user_id, now=now),
        )
        return shown_task(self._tasks, task_id)


class CompleteTask(ShownTaskCommand):
    """Locks the task first, so a concurrent sweep either waits for it or wins outright."""

    def __call__(
        self, actor: Actor, task_id: UUID, *, expected_version: int | None = None
    ) -> TaskView:
        self._change(
            task_id,
            expected_version,
            lambda task: may_work_on_task(actor, task),
            "complete this task",
            lambda task, now: task.complete(actor_id=actor.user_id, now=now),
        )
        return shown_task(self._tasks, task_id)
