"""The Task's value rules: names, descriptions, deadlines, editing and soft deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from domain.errors import InvalidValue, TaskExpired, TaskIsTerminal
from domain.status import TaskEventType, TaskStatus, TaskType
from domain.task import Task
from domain.task_fields import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH

NOW = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
CREATOR, ASSIGNEE = uuid4(), uuid4()


def new_task(
    *,
    name: str = "Write the report",
    description: str = "",
    type: TaskType = TaskType.NORMAL,
    deadline: datetime | None = NOW + timedelta(days=1),
) -> Task:
    return Task.create(
        name=name,
        description=description,
        type=type,
        deadline=deadline,
        created_by=CREATOR,
        now=NOW,
    )


def test_a_new_task_is_unassigned_and_records_its_creation() -> None:
    task = new_task(description="Quarterly", type=TaskType.URGENT)
    assert (task.status, task.assigned_to, task.created_by) == (
        TaskStatus.UNASSIGNED,
        None,
        CREATOR,
    )
    assert (task.created_at, task.updated_at, task.completed_at) == (NOW, NOW, None)
    [event] = task.pull_events()
    assert (event.type, event.from_status, event.to_status, event.actor_id) == (
        TaskEventType.CREATED,
        None,
        TaskStatus.UNASSIGNED,
        CREATOR,
    )


def test_a_task_name_is_stripped() -> None:
    assert new_task(name="  Write the report \n").name == "Write the report"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("name", "   "),
        ("name", "x" * (NAME_MAX_LENGTH + 1)),
        ("name", "nul\x00byte"),
        ("name", "lone \ud800 surrogate"),
        ("description", "x" * (DESCRIPTION_MAX_LENGTH + 1)),
        ("description", "nul\x00byte"),
    ],
    ids=["empty", "blank", "too-long", "nul", "surrogate", "long-description", "nul-description"],
)
def test_a_task_refuses_text_it_cannot_keep(field: str, value: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        new_task(name=value) if field == "name" else new_task(description=value)
    assert refused.value.field == field


def test_the_longest_name_and_description_are_accepted() -> None:
    task = new_task(name="x" * NAME_MAX_LENGTH, description="y" * DESCRIPTION_MAX_LENGTH)
    assert len(task.name) == NAME_MAX_LENGTH


@pytest.mark.parametrize(
    "deadline",
    [NOW, NOW - timedelta(seconds=1), datetime(2031, 1, 1)],
    ids=["now", "past", "naive"],
)
def test_a_deadline_must_be_aware_and_in_the_future(deadline: datetime) -> None:
    with pytest.raises(InvalidValue) as refused:
        new_task(deadline=deadline)
    assert refused.value.field == "deadline"


def test_a_deadline_in_another_time_zone_is_kept_in_utc() -> None:
    paris = timezone(timedelta(hours=1))
    task = new_task(deadline=datetime(2030, 1, 8, 10, 0, tzinfo=paris))
    assert task.deadline == datetime(2030, 1, 8, 9, 0, tzinfo=UTC)
    assert task.deadline is not None
    assert task.deadline.tzinfo is UTC


def test_editing_records_only_what_changed() -> None:
    task = new_task(description="old")
    task.pull_events()
    later = NOW + timedelta(hours=1)
    task.edit(actor_id=CREATOR, now=later, name="Write the report", description="new")
    [event] = task.pull_events()
    assert event.type is TaskEventType.EDITED
    assert dict(event.changes).keys() == {"description"}
    assert (event.changes["description"].old, event.changes["description"].new) == ("old", "new")
    assert (task.description, task.updated_at) == ("new", later)


def test_an_edit_that_changes_nothing_records_nothing() -> None:
    task = new_task(type=TaskType.LOW)
    task.pull_events()
    task.edit(actor_id=CREATOR, now=NOW + timedelta(hours=1), type=TaskType.LOW)
    assert task.pull_events() == []
    assert task.updated_at == NOW


def test_editing_the_deadline_shows_both_values_in_iso_format() -> None:
    task = new_task()
    task.pull_events()
    new_deadline = NOW + timedelta(days=3)
    task.edit(actor_id=CREATOR, now=NOW, deadline=new_deadline, type=TaskType.URGENT)
    [event] = task.pull_events()
    assert event.changes["deadline"].new == new_deadline.isoformat()
    assert event.changes["type"].new == "urgent"


def test_a_changed_deadline_must_be_in_the_future() -> None:
    task = new_task()
    with pytest.raises(InvalidValue):
        task.edit(actor_id=CREATOR, now=NOW, deadline=NOW - timedelta(minutes=1))
    assert task.deadline == NOW + timedelta(days=1)


@pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.FAILED])
def test_cannot_edit_a_terminal_task(status: TaskStatus) -> None:
    task = new_task()
    task.assign(ASSIGNEE, actor_id=CREATOR, now=NOW)
    if status is TaskStatus.COMPLETED:
        task.complete(actor_id=ASSIGNEE, now=NOW)
    else:
        task.expire(NOW + timedelta(days=2))
    with pytest.raises(TaskIsTerminal) as refused:
        task.edit(actor_id=CREATOR, now=NOW, name="Another name")
    assert refused.value.status is status
    assert task.name == "Write the report"


def test_an_overdue_task_cannot_be_edited() -> None:
    task = new_task()
    with pytest.raises(TaskExpired):
        task.edit(actor_id=CREATOR, now=NOW + timedelta(days=2), name="Too late")
    assert (task.status, task.name) == (TaskStatus.UNASSIGNED, "Write the report")


def test_deleting_is_soft_and_happens_once() -> None:
    task = new_task()
    task.pull_events()
    task.delete(actor_id=CREATOR, now=NOW)
    task.delete(actor_id=CREATOR, now=NOW + timedelta(hours=1))
    assert task.is_deleted
    assert task.deleted_at == NOW
    [event] = task.pull_events()
    assert (event.type, event.from_status, event.to_status) == (
        TaskEventType.DELETED,
        TaskStatus.UNASSIGNED,
        TaskStatus.UNASSIGNED,
    )
    assert "unassigned" in repr(task)
