"""Versions: every change of a task or a user moves its version on, and a command made against
a version that is no longer current is refused without changing anything.

The commands are discovered from ``application.tasks`` itself, so a new command on an existing
task fails here until it is listed below, and then it is checked like the others."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

import pytest

import application.tasks
from application.errors import PreconditionFailed
from application.policy import Actor
from application.task_access import TaskCommand
from domain.status import TaskStatus
from unit.harness import DAY, Core


@dataclass(frozen=True)
class Cast:
    creator: Actor
    worker: Actor
    task: UUID


Command = Callable[[Core, Cast, "int | None"], object]

#: Every command on an existing task, made against the version given.
COMMANDS: dict[str, Command] = {
    "UpdateTask": lambda c, k, v: c.update_task(k.creator, k.task, name="New", expected_version=v),
    "AssignTask": lambda c, k, v: c.assign_task(
        k.creator, k.task, k.creator.user_id, expected_version=v
    ),
    "StartTask": lambda c, k, v: c.start_task(k.worker, k.task, expected_version=v),
    "CompleteTask": lambda c, k, v: c.complete_task(k.worker, k.task, expected_version=v),
    "DeleteTask": lambda c, k, v: c.delete_task(k.creator, k.task, expected_version=v),
}


def test_every_command_on_an_existing_task_is_listed_here() -> None:
    commands = {
        name
        for name, kind in inspect.getmembers(application.tasks, inspect.isclass)
        if issubclass(kind, TaskCommand) and kind.__module__ == application.tasks.__name__
    }
    assert commands == set(COMMANDS)


def _cast(core: Core, *, due_in: timedelta = DAY) -> Cast:
    creator, worker = core.user("Creator"), core.user("Worker")
    return Cast(creator, worker, core.task(creator, assignee=worker, due_in=due_in))


@pytest.mark.parametrize("command", COMMANDS.values(), ids=list(COMMANDS))
def test_a_stale_version_is_refused_and_nothing_changes(core: Core, command: Command) -> None:
    cast = _cast(core)
    current = core.saved_task(cast.task).version
    events = len(core.events(cast.task))
    with pytest.raises(PreconditionFailed) as refused:
        command(core, cast, current - 1)
    assert refused.value.current_version == current
    saved = core.saved_task(cast.task)
    assert (saved.version, saved.status, saved.is_deleted) == (current, TaskStatus.PENDING, False)
    assert len(core.events(cast.task)) == events


@pytest.mark.parametrize("command", COMMANDS.values(), ids=list(COMMANDS))
def test_the_current_version_or_none_lets_the_command_through(core: Core, command: Command) -> None:
    for expected in ("current", None):
        cast = _cast(core)
        before = core.saved_task(cast.task).version
        command(core, cast, before if expected == "current" else None)
        assert core.saved_task(cast.task).version == before + 1


def test_a_stale_version_of_an_overdue_task_is_refused_before_it_fails(core: Core) -> None:
    """The caller acted on old news: it learns the current version, and the next command
    (made against it) meets the overdue task and fails it."""
    cast = _cast(core, due_in=timedelta(minutes=1))
    core.clock.advance(timedelta(minutes=2))
    with pytest.raises(PreconditionFailed):
        core.start_task(cast.worker, cast.task, expected_version=0)
    assert core.saved_task(cast.task).status is TaskStatus.PENDING


def test_the_version_moves_with_each_change_of_a_task(core: Core) -> None:
    creator, worker = core.user(), core.user()
    view = core.create_task(creator, name="Write")
    assert view.version == 1
    task_id = view.external_id
    versions = [
        core.assign_task(creator, task_id, worker.user_id).version,
        core.update_task(creator, task_id, name="Write more").version,
        core.update_task(creator, task_id, name="Write more").version,  # no change
        core.start_task(worker, task_id).version,
        core.complete_task(worker, task_id).version,
    ]
    assert versions == [2, 3, 3, 4, 5]
    assert core.get_task(task_id).version == 5


def test_expiry_moves_the_version_on(core: Core) -> None:
    creator = core.user()
    task_id = core.task(creator, due_in=timedelta(minutes=1))
    before = core.get_task(task_id).version
    core.clock.advance(timedelta(minutes=2))
    assert core.expire_overdue().failed == 1
    assert core.get_task(task_id).version == before + 1


def test_the_version_moves_with_each_change_of_a_user(core: Core) -> None:
    admin = core.user(admin=True)
    me = core.user("Ada")
    assert core.get_user(me.user_id).version == 1
    assert core.update_user(me, me.user_id, name="Ada L.").version == 2
    assert core.update_user(me, me.user_id, password="n3w secret", expected_version=2).version == 3
    assert core.update_user(admin, me.user_id, is_admin=True).version == 4
    core.delete_user(admin, me.user_id, expected_version=4)
    assert core.saved_user(me.user_id).version == 5


def test_releasing_a_deleted_users_tasks_moves_their_versions_on(core: Core) -> None:
    admin, worker = core.user(admin=True), core.user()
    task_id = core.task(admin, assignee=worker)
    before = core.get_task(task_id).version
    core.delete_user(admin, worker.user_id)
    assert core.get_task(task_id).version == before + 1


def test_a_stale_version_of_a_user_is_refused_and_nothing_changes(core: Core) -> None:
    admin, me = core.user(admin=True), core.user("Ada")
    with pytest.raises(PreconditionFailed) as refused:
        core.update_user(me, me.user_id, name="Renamed", expected_version=7)
    assert refused.value.current_version == 1
    with pytest.raises(PreconditionFailed):
        core.delete_user(admin, me.user_id, expected_version=7)
    saved = core.saved_user(me.user_id)
    assert (saved.name, saved.version, saved.is_deleted) == ("Ada", 1, False)
