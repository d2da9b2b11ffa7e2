"""An overdue task fails instead, whichever command meets it: every command on an existing task
obtains it through one step that fails an overdue task, commits that failure, and refuses the
command with TaskExpired (a deletion goes on, keeping the failure in its history).

The commands are discovered from ``application.tasks`` itself, so a new one fails here until it
is listed below, and then it is checked like the others."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import pytest

import application.tasks
from application.errors import Forbidden
from application.policy import Actor
from domain.errors import TaskExpired
from domain.status import TaskEventType, TaskStatus
from unit.harness import DAY, Core


@dataclass(frozen=True)
class Cast:
    creator: Actor
    worker: Actor
    task: UUID


Command = Callable[[Core, Cast], object]

#: Every command on an existing task, and whether meeting an overdue task refuses it.
COMMANDS: dict[str, tuple[Command, bool]] = {
    "UpdateTask": (lambda c, k: c.update_task(k.creator, k.task, name="Late"), True),
    "AssignTask": (lambda c, k: c.assign_task(k.creator, k.task, k.creator.user_id), True),
    "StartTask": (lambda c, k: c.start_task(k.worker, k.task), True),
    "CompleteTask": (lambda c, k: c.complete_task(k.worker, k.task), True),
    "DeleteTask": (lambda c, k: c.delete_task(k.creator, k.task), False),
}
#: Makes a task rather than meeting one.
NOT_ON_AN_EXISTING_TASK = {"CreateTask"}


def test_every_task_command_is_checked_here() -> None:
    commands = {
        name
        for name, member in vars(application.tasks).items()
        if inspect.isclass(member)
        and member.__module__ == application.tasks.__name__
        and not name.startswith("_")
    }
    assert commands == set(COMMANDS) | NOT_ON_AN_EXISTING_TASK


@pytest.fixture
def overdue(core: Core) -> Cast:
    creator, worker = core.user(), core.user()
    task = core.task(creator, assignee=worker, due_in=DAY)
    core.clock.advance(DAY)  # at the deadline itself: too late
    return Cast(creator, worker, task)


@pytest.mark.parametrize("name", COMMANDS)
def test_an_overdue_task_fails_and_the_failure_is_kept(
    core: Core, overdue: Cast, name: str
) -> None:
    command, refused = COMMANDS[name]
    if refused:
        with pytest.raises(TaskExpired) as expired:
            command(core, overdue)
        assert expired.value.task_id == overdue.task
    else:
        command(core, overdue)

    saved = core.saved_task(overdue.task)
    assert (saved.status, saved.assigned_to, saved.completed_at) == (
        TaskStatus.FAILED,
        overdue.worker.user_id,
        None,
    )
    expired_event = next(e for e in core.events(overdue.task) if e.type is TaskEventType.EXPIRED)
    assert (expired_event.actor_id, expired_event.at) == (None, core.clock.now())


def test_deleting_an_overdue_task_records_its_failure_then_its_deletion(
    core: Core, overdue: Cast
) -> None:
    core.delete_task(overdue.creator, overdue.task)
    assert [e.type for e in core.events(overdue.task)][-2:] == [
        TaskEventType.EXPIRED,
        TaskEventType.DELETED,
    ]
    assert core.saved_task(overdue.task).is_deleted


@pytest.mark.parametrize("name", ["StartTask", "CompleteTask"])
def test_a_caller_who_may_not_change_the_task_is_refused_before_it_fails(
    core: Core, overdue: Cast, name: str
) -> None:
    stranger = Cast(overdue.creator, core.user(), overdue.task)
    with pytest.raises(Forbidden):
        COMMANDS[name][0](core, stranger)
    assert core.saved_task(overdue.task).status is TaskStatus.PENDING
