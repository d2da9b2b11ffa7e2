"""Where tasks and their history are kept."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection, bindparam, select

from adapters.sqlalchemy import expiry, outbox, reminders
from adapters.sqlalchemy.mapping import event_to_row, row_to_task, task_to_row
from adapters.sqlalchemy.prepared import prepared
from adapters.sqlalchemy.tables import tasks
from adapters.sqlalchemy.task_writes import TaskWrites
from adapters.sqlalchemy.tracking import Tracked
from domain.status import TaskStatus
from domain.task import Task

_ASSIGNED_OPEN = (TaskStatus.PENDING, TaskStatus.IN_PROGRESS)
_ID = "task_id"
#: A live task by its id, built once (a statement built per call costs more than its run).
_READ = prepared(
    select(tasks).where(
        tasks.c.external_id == bindparam(_ID, type_=tasks.c.external_id.type),
        tasks.c.deleted_at.is_(None),
    )
)
_LOCKED = _READ.with_for_update()


class SqlTaskRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._tracked: Tracked[Task] = Tracked(task_to_row)

    def add(self, task: Task) -> None:
        self._tracked.added(task.external_id, task)

    def get(self, task_id: UUID, *, for_update: bool = False) -> Task | None:
        task = self._tracked.find(task_id, for_update=for_update)
        if task is None:
            query = _LOCKED if for_update else _READ
            row = self._connection.execute(query, {_ID: task_id}).mappings().one_or_none()
            if row is None:
                return None
            task = self._tracked.loaded(task_id, row_to_task(row), locked=for_update)
        return None if task.is_deleted else task

    def open_tasks_assigned_to(self, user_id: UUID) -> list[Task]:
        """Locked, in id order. The tasks this unit already holds count as it left them: one
        it reassigned is not among them, one it assigned to this user is."""
        query = (
            select(tasks)
            .where(
                tasks.c.assigned_to == user_id,
                tasks.c.status.in_([status.value for status in _ASSIGNED_OPEN]),
                tasks.c.deleted_at.is_(None),
            )
            .order_by(tasks.c.external_id)
            .with_for_update()
        )
        expiry.keep_sweeps_out(self._connection)
        for row in self._connection.execute(query).mappings():
            self._tracked.loaded(row["external_id"], row_to_task(row), locked=True)
        found = (
            task
            for task in self._tracked.aggregates()
            if task.assigned_to == user_id and task.status in _ASSIGNED_OPEN and not task.is_deleted
        )
        return sorted(found, key=lambda task: task.external_id)

    def expire_overdue(self, now: datetime) -> list[datetime]:
        return expiry.expire_overdue(self._connection, now)

    def remind_due(self, now: datetime, default_before_seconds: int) -> int:
        return reminders.remind_due(self._connection, now, default_before_seconds)

    def flush(self) -> None:
        """Write new and changed tasks, then the events they recorded, to the history and to
        the webhook outbox: one statement for all of it (:mod:`adapters.sqlalchemy.task_writes`)."""
        writes = TaskWrites()
        for task, row, stored in self._tracked.pending():
            if stored is None:
                writes.new.append(row)
                continue
            changed = {key: value for key, value in row.items() if stored.get(key) != value}
            writes.changed.append((task.external_id, changed))
        for task in self._tracked.aggregates():
            recorded = task.pull_events()
            writes.events.extend(event_to_row(event) for event in recorded)
            writes.messages.extend(outbox.rows_for(task, recorded))
        for statement, values in writes.statements():
            self._connection.execute(statement, values)
        self._tracked.written()
