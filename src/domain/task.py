"""The Task aggregate: what a task is and how it may change (its status machine is in
:mod:`domain.status`)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from domain.errors import InvalidTransition, TaskExpired, TaskIsTerminal
from domain.events import Change, TaskEvent, shown
from domain.status import TRANSITIONS, TaskEventType, TaskStatus, TaskType
from domain.task_fields import (
    edited_fields,
    future_deadline,
    valid_description,
    valid_name,
    valid_remind_before,
)


class Task:
    """A piece of work, created by someone, possibly assigned to someone, maybe due.

    Every change goes through a verb method that enforces the rules and records a
    :class:`TaskEvent`; :meth:`pull_events` hands the recorded events to persistence.
    """

    def __init__(
        self,
        *,
        external_id: UUID,
        name: str,
        description: str,
        type: TaskType,
        status: TaskStatus,
        deadline: datetime | None,
        created_by: UUID,
        assigned_to: UUID | None,
        completed_at: datetime | None,
        created_at: datetime,
        updated_at: datetime,
        deleted_at: datetime | None = None,
        version: int = 1,
        remind_before_seconds: int | None = None,
    ) -> None:
        self.external_id = external_id
        self.name = name
        self.description = description
        self.type = type
        self._status = status
        self.deadline = deadline
        self.created_by = created_by
        self.assigned_to = assigned_to
        self.completed_at = completed_at
        self.created_at = created_at
        self.updated_at = updated_at
        self.deleted_at = deleted_at
        #: Moves on with every change (each records an event): what an ETag names.
        self.version = version
        #: How long before the deadline a reminder goes out; None: the service's default.
        self.remind_before_seconds = remind_before_seconds
        self._events: list[TaskEvent] = []

    @classmethod
    def create(
        cls,
        *,
        name: str,
        created_by: UUID,
        now: datetime,
        description: str = "",
        type: TaskType = TaskType.NORMAL,
        deadline: datetime | None = None,
        external_id: UUID | None = None,
        remind_before_seconds: int | None = None,
    ) -> Task:
        task = cls(
            external_id=external_id or uuid4(),
            name=valid_name(name),
            description=valid_description(description),
            type=type,
            status=TaskStatus.UNASSIGNED,
            deadline=future_deadline(deadline, now),
            created_by=created_by,
            assigned_to=None,
            completed_at=None,
            created_at=now,
            updated_at=now,
            version=0,  # the creation is its first change: version 1
            remind_before_seconds=valid_remind_before(remind_before_seconds),
        )
        task._record(TaskEventType.CREATED, created_by, now, None)
        return task

    # -- state ---------------------------------------------------------------------------

    @property
    def status(self) -> TaskStatus:
        return self._status

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_overdue(self, now: datetime) -> bool:
        return self.deadline is not None and now >= self.deadline

    def __repr__(self) -> str:
        return f"<Task {self.external_id} {self._status.value}>"

    # -- behaviour -----------------------------------------------------------------------

    def assign(self, user_id: UUID, *, actor_id: UUID, now: datetime) -> None:
        self._refuse_if_overdue(now)
        previous = self.assigned_to
        self._transition(
            TaskEventType.ASSIGNED,
            actor_id,
            now,
            {"assigned_to": Change(shown(previous), str(user_id))},
        )
        self.assigned_to = user_id

    def start(self, *, actor_id: UUID, now: datetime) -> None:
        self._refuse_if_overdue(now)
        self._transition(TaskEventType.STARTED, actor_id, now)

    def complete(self, *, actor_id: UUID, now: datetime) -> None:
        """Complete the task; at or after its deadline it is refused: an overdue task can only
        fail (see :meth:`_refuse_if_overdue`)."""
        self._refuse_if_overdue(now)
        self._transition(TaskEventType.COMPLETED, actor_id, now)
        self.completed_at = now

    def expire(self, now: datetime) -> bool:
        """Fail the task if its deadline has passed; terminal tasks stay as they are."""
        if self._status.is_terminal or not self.is_overdue(now):
            return False
        self._transition(TaskEventType.EXPIRED, None, now)
        return True

    def release(self, *, actor_id: UUID, now: datetime) -> None:
        """Its assignee is gone: open work goes back to the pool, unassigned.

        Work already past its deadline failed while it was theirs: it fails now (keeping them
        as assignee, for history) instead, so the outcome does not depend on whether the
        periodic sweep happened to run before the deletion."""
        if self.expire(now):
            return
        previous = self.assigned_to
        self._transition(
            TaskEventType.UNASSIGNED,
            actor_id,
            now,
            {"assigned_to": Change(shown(previous), None)},
        )
        self.assigned_to = None

    def edit(
        self,
        *,
        actor_id: UUID,
        now: datetime,
        name: str | None = None,
        description: str | None = None,
        type: TaskType | None = None,
        deadline: datetime | None = None,
        remind_before_seconds: int | None = None,
    ) -> None:
        """Change the given fields (None leaves a field as it is)."""
        if self._status.is_terminal:
            raise TaskIsTerminal(self.external_id, self._status)
        self._refuse_if_overdue(now)
        wanted = edited_fields(
            now,
            name=name,
            description=description,
            type=type,
            deadline=deadline,
            remind_before_seconds=remind_before_seconds,
        )
        changes = {
            field: Change(shown(getattr(self, field)), shown(value))
            for field, value in wanted.items()
            if getattr(self, field) != value
        }
        if not changes:
            return
        for field, value in wanted.items():
            setattr(self, field, value)
        self._record(TaskEventType.EDITED, actor_id, now, self._status, changes)

    def delete(self, *, actor_id: UUID, now: datetime) -> None:
        if self.is_deleted:
            return
        self.deleted_at = now
        self._record(TaskEventType.DELETED, actor_id, now, self._status)

    def pull_events(self) -> list[TaskEvent]:
        """Hand over the events recorded since the last pull (persistence writes them)."""
        events, self._events = self._events, []
        return events

    # -- the one place that applies the status machine -----------------------------------

    def _refuse_if_overdue(self, now: datetime) -> None:
        """Past its deadline an open task can only fail, whether or not a sweep has run yet.

        The refusal changes nothing: failing the task is a change of its own (:meth:`expire`),
        which whoever obtains a task to change makes and keeps first; this guard only makes
        sure no verb moves an overdue task on when that step was skipped.
        """
        if not self._status.is_terminal and self.is_overdue(now):
            assert self.deadline is not None
            raise TaskExpired(self.external_id, self.deadline)

    def _transition(
        self,
        event: TaskEventType,
        actor_id: UUID | None,
        now: datetime,
        changes: dict[str, Change] | None = None,
    ) -> None:
        target = TRANSITIONS.get((self._status, event))
        if target is None:
            raise InvalidTransition(self.external_id, self._status, event)
        source, self._status = self._status, target
        self._record(event, actor_id, now, source, changes)

    def _record(
        self,
        event: TaskEventType,
        actor_id: UUID | None,
        now: datetime,
        source: TaskStatus | None,
        changes: dict[str, Change] | None = None,
    ) -> None:
        self.updated_at, self.version = now, self.version + 1
        self._events.append(
            TaskEvent(
                task_id=self.external_id,
                type=event,
                actor_id=actor_id,
                at=now,
                from_status=source,
                to_status=self._status,
                changes=changes or {},
            )
        )
