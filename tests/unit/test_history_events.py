"""Each use case that changes a task leaves exactly one history event, of the right kind;
the ones that change no task leave none."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import pytest

from application.policy import Actor
from domain.errors import TaskExpired
from domain.status import TaskEventType, TaskStatus
from unit.harness import DAY, PASSWORD, Core


@dataclass(frozen=True)
class Cast:
    creator: Actor
    admin: Actor
    worker: Actor
    task: UUID  # created by ``creator``, assigned to ``worker``, pending


@pytest.fixture
def cast(core: Core) -> Cast:
    creator, admin, worker = core.user(), core.user(admin=True), core.user()
    return Cast(creator, admin, worker, core.task(creator, assignee=worker))


def _complete_too_late(core: Core, cast: Cast) -> None:
    core.clock.advance(2 * DAY)
    with pytest.raises(TaskExpired):
        core.complete_task(cast.worker, cast.task)


def _sweep(core: Core, cast: Cast) -> None:
    core.clock.advance(2 * DAY)
    core.expire_overdue()


Step = Callable[[Core, Cast], object]
CHANGES_A_TASK: dict[str, tuple[Step, TaskEventType]] = {
    "CreateTask": (lambda c, k: c.create_task(k.creator, name="Other"), TaskEventType.CREATED),
    "UpdateTask": (lambda c, k: c.update_task(k.creator, k.task, name="New"), TaskEventType.EDITED),
    "DeleteTask": (lambda c, k: c.delete_task(k.admin, k.task), TaskEventType.DELETED),
    "AssignTask": (
        lambda c, k: c.assign_task(k.creator, k.task, k.creator.user_id),
        TaskEventType.ASSIGNED,
    ),
    "StartTask": (lambda c, k: c.start_task(k.worker, k.task), TaskEventType.STARTED),
    "CompleteTask": (lambda c, k: c.complete_task(k.worker, k.task), TaskEventType.COMPLETED),
    "CompleteTask, too late": (_complete_too_late, TaskEventType.EXPIRED),
    "ExpireOverdueTasks": (_sweep, TaskEventType.EXPIRED),
    "DeleteUser": (lambda c, k: c.delete_user(k.admin, k.worker.user_id), TaskEventType.UNASSIGNED),
}

CHANGES_NO_TASK: dict[str, Step] = {
    "RegisterUser": lambda c, k: c.register_user(
        email="new@example.com", name="New", password=PASSWORD, password2=PASSWORD
    ),
    "CreateUser": lambda c, k: c.create_user(
        k.admin, email="new@example.com", name="New", password=PASSWORD
    ),
    "UpdateUser": lambda c, k: c.update_user(k.admin, k.creator.user_id, name="Renamed"),
    "DeleteUser with no open task": lambda c, k: c.delete_user(k.admin, k.creator.user_id),
    "UpdateTask changing nothing": lambda c, k: c.update_task(
        k.creator, k.task, name="Write the report"
    ),
}


@pytest.mark.parametrize("use_case", CHANGES_A_TASK)
def test_a_use_case_leaves_exactly_one_event_of_its_kind(
    core: Core, cast: Cast, use_case: str
) -> None:
    run, kind = CHANGES_A_TASK[use_case]
    before = len(core.uow.history)
    run(core, cast)
    [event] = core.uow.history[before:]
    assert event.type is kind
    if kind is not TaskEventType.CREATED:
        assert event.task_id == cast.task
    assert event.to_status is core.saved_task(event.task_id).status


@pytest.mark.parametrize("use_case", CHANGES_NO_TASK)
def test_a_use_case_that_changes_no_task_leaves_no_event(
    core: Core, cast: Cast, use_case: str
) -> None:
    before = len(core.uow.history)
    CHANGES_NO_TASK[use_case](core, cast)
    assert core.uow.history[before:] == []


def test_the_history_reads_newest_first_with_who_did_what(core: Core, cast: Cast) -> None:
    core.start_task(cast.worker, cast.task)
    core.complete_task(cast.worker, cast.task)
    page = core.task_history(cast.task)
    assert [(e.type, e.to_status) for e in page.items] == [
        (TaskEventType.COMPLETED, TaskStatus.COMPLETED),
        (TaskEventType.STARTED, TaskStatus.IN_PROGRESS),
        (TaskEventType.ASSIGNED, TaskStatus.PENDING),
        (TaskEventType.CREATED, TaskStatus.UNASSIGNED),
    ]
    completed_by = page.items[0].actor
    assert completed_by is not None
    assert completed_by.external_id == cast.worker.user_id
    assert page.items[1].from_status is TaskStatus.PENDING
