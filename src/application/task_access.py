"""The one way a task command obtains the task it changes: locked, the caller allowed, at the
version the caller saw, and an overdue task failed first (see :class:`TaskCommand`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar
from uuid import UUID

from application.errors import NotFound, require_version
from application.policy import authorize
from application.ports import Clock, UnitOfWork
from application.queries import TaskQueries
from application.read_models import TaskView
from domain.errors import TaskExpired
from domain.task import Task


def shown_task(tasks: TaskQueries, task_id: UUID) -> TaskView:
    view = tasks.get(task_id)
    if view is None:  # deleted by someone else in between
        raise NotFound("Task", task_id)
    return view


class TaskCommand:
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

    def _change(
        self,
        task_id: UUID,
        expected_version: int | None,
        allowed: Callable[[Task], bool],
        action: str,
        apply: Callable[[Task, datetime], None],
    ) -> None:
        """One transaction: the task through :meth:`_task_to_change`, ``apply``-ed, committed."""
        now = self._clock.now()
        with self._uow:
            task = self._task_to_change(task_id, now, allowed, action, expected_version)
            apply(task, now)
            self._uow.commit()


class ShownTaskCommand(TaskCommand):
    """A command that answers with the task as it is after the change."""

    def __init__(self, uow: UnitOfWork, clock: Clock, tasks: TaskQueries) -> None:
        super().__init__(uow, clock)
        self._tasks = tasks
