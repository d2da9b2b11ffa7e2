"""The task status machine of docs/architecture.md §2, driven through the Task's own verbs.

The expected table below is copied from docs/architecture.md, not from the code, so that the code's
TRANSITIONS table is checked against the specification rather than against itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.errors import InvalidTransition, TaskExpired
from domain.status import TRANSITIONS, TaskEventType, TaskStatus
from domain.task import Task

S = TaskStatus
NOW = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
DEADLINE = NOW + timedelta(days=1)
CREATOR, ASSIGNEE, OTHER = uuid4(), uuid4(), uuid4()


class _Stays:
    """The design's "stays completed / stays failed": no error, no change, no event."""


STAYS = _Stays()
REFUSED = None
Outcome = TaskStatus | _Stays | None

#: docs/architecture.md §2 "The status machine", plus the release of open work when its assignee is
#: deleted (pending/in-progress tasks go back to unassigned).
DOCUMENTED_TABLE: dict[TaskStatus, dict[str, Outcome]] = {
    S.UNASSIGNED: {
        "assign": S.PENDING,
        "start": REFUSED,
        "complete": REFUSED,
        "expire": S.FAILED,
        "release": REFUSED,
    },
    S.PENDING: {
        "assign": S.PENDING,
        "start": S.IN_PROGRESS,
        "complete": S.COMPLETED,
        "expire": S.FAILED,
        "release": S.UNASSIGNED,
    },
    S.IN_PROGRESS: {
        "assign": S.PENDING,
        "start": REFUSED,
        "complete": S.COMPLETED,
        "expire": S.FAILED,
        "release": S.UNASSIGNED,
    },
    S.COMPLETED: {
        "assign": REFUSED,
        "start": REFUSED,
        "complete": REFUSED,
        "expire": STAYS,
        "release": REFUSED,
    },
    S.FAILED: {
        "assign": REFUSED,
        "start": REFUSED,
        "complete": REFUSED,
        "expire": STAYS,
        "release": REFUSED,
    },
}

EVENT_OF = {
    "assign": TaskEventType.ASSIGNED,
    "start": TaskEventType.STARTED,
    "complete": TaskEventType.COMPLETED,
    "expire": TaskEventType.EXPIRED,
    "release": TaskEventType.UNASSIGNED,
}

APPLY: dict[str, Callable[[Task], object]] = {
    "assign": lambda task: task.assign(OTHER, actor_id=CREATOR, now=NOW),
    "start": lambda task: task.start(actor_id=ASSIGNEE, now=NOW),
    "complete": lambda task: task.complete(actor_id=ASSIGNEE, now=NOW),
    "expire": lambda task: task.expire(DEADLINE + timedelta(seconds=1)),
    "release": lambda task: task.release(actor_id=CREATOR, now=NOW),
}


def task_in(status: TaskStatus) -> Task:
    """A task brought to ``status`` by the verbs, its events already handed over."""
    task = Task.create(name="Write the report", created_by=CREATOR, now=NOW, deadline=DEADLINE)
    if status is not S.UNASSIGNED:
        task.assign(ASSIGNEE, actor_id=CREATOR, now=NOW)
    if status in (S.IN_PROGRESS, S.COMPLETED):
        task.start(actor_id=ASSIGNEE, now=NOW)
    if status is S.COMPLETED:
        task.complete(actor_id=ASSIGNEE, now=NOW)
    if status is S.FAILED:
        task.expire(DEADLINE)
    assert task.status is status
    task.pull_events()
    return task


CASES = [
    pytest.param(status, event, outcome, id=f"{status.value}-{event}")
    for status, row in DOCUMENTED_TABLE.items()
    for event, outcome in row.items()
]


@pytest.mark.parametrize(("status", "event", "outcome"), CASES)
def test_every_status_and_event_follow_the_design_table(
    status: TaskStatus, event: str, outcome: Outcome
) -> None:
    task = task_in(status)
    if isinstance(outcome, TaskStatus):
        APPLY[event](task)
        assert task.status is outcome
        [recorded] = task.pull_events()
        assert (recorded.type, recorded.from_status, recorded.to_status) == (
            EVENT_OF[event],
            status,
            outcome,
        )
    elif outcome is STAYS:
        assert APPLY[event](task) is False
        assert task.status is status
        assert task.pull_events() == []
    else:
        with pytest.raises(InvalidTransition) as refused:
            APPLY[event](task)
        assert (refused.value.task_id, refused.value.status) == (task.external_id, status)
        assert refused.value.event is EVENT_OF[event]
        assert task.status is status
        assert task.pull_events() == []


def test_the_transition_table_has_exactly_the_arrows_of_the_design() -> None:
    designed = {
        (status, EVENT_OF[event]): outcome
        for status, row in DOCUMENTED_TABLE.items()
        for event, outcome in row.items()
        if isinstance(outcome, TaskStatus)
    }
    assert designed == TRANSITIONS


def test_completed_at_is_set_exactly_when_a_task_completes() -> None:
    task = task_in(S.IN_PROGRESS)
    assert task.completed_at is None
    task.complete(actor_id=ASSIGNEE, now=NOW + timedelta(hours=2))
    assert task.completed_at == NOW + timedelta(hours=2)


def test_a_refused_transition_says_what_was_refused() -> None:
    task = task_in(S.COMPLETED)
    with pytest.raises(InvalidTransition, match="Cannot start a task that is completed"):
        task.start(actor_id=ASSIGNEE, now=NOW)


def test_reassigning_records_the_previous_and_the_new_assignee() -> None:
    task = task_in(S.IN_PROGRESS)
    task.assign(OTHER, actor_id=CREATOR, now=NOW)
    [event] = task.pull_events()
    assert task.assigned_to == OTHER
    assert event.changes["assigned_to"].old == str(ASSIGNEE)
    assert event.changes["assigned_to"].new == str(OTHER)


def test_releasing_a_task_clears_its_assignee() -> None:
    task = task_in(S.IN_PROGRESS)
    task.release(actor_id=CREATOR, now=NOW)
    [event] = task.pull_events()
    assert task.assigned_to is None
    assert event.changes["assigned_to"].old == str(ASSIGNEE)
    assert event.changes["assigned_to"].new is None


@pytest.mark.parametrize("status", [S.UNASSIGNED, S.PENDING, S.IN_PROGRESS])
def test_expiring_an_open_task_is_idempotent(status: TaskStatus) -> None:
    task = task_in(status)
    later = DEADLINE + timedelta(minutes=5)
    assert task.expire(later) is True
    assert task.expire(later) is False
    assert [event.type for event in task.pull_events()] == [TaskEventType.EXPIRED]
    assert task.status is S.FAILED


def test_a_task_does_not_expire_before_its_deadline() -> None:
    task = task_in(S.PENDING)
    assert task.expire(DEADLINE - timedelta(microseconds=1)) is False
    assert task.status is S.PENDING
    assert task.pull_events() == []


def test_a_task_without_a_deadline_never_expires() -> None:
    task = Task.create(name="Someday", created_by=CREATOR, now=NOW)
    assert task.expire(NOW + timedelta(days=36500)) is False
    assert task.status is S.UNASSIGNED


def test_cannot_complete_an_overdue_task() -> None:
    """The refusal changes nothing: failing the task is the separate step of ``expire``."""
    task = task_in(S.IN_PROGRESS)
    with pytest.raises(TaskExpired) as expired:
        task.complete(actor_id=ASSIGNEE, now=DEADLINE + timedelta(seconds=1))
    assert (expired.value.task_id, expired.value.deadline) == (task.external_id, DEADLINE)
    assert (task.status, task.completed_at) == (S.IN_PROGRESS, None)
    assert task.pull_events() == []


def test_completing_at_the_deadline_itself_is_too_late() -> None:
    task = task_in(S.PENDING)
    with pytest.raises(TaskExpired):
        task.complete(actor_id=ASSIGNEE, now=DEADLINE)
    assert task.expire(DEADLINE) is True
    assert task.status is S.FAILED


def test_completing_just_before_the_deadline_succeeds() -> None:
    task = task_in(S.PENDING)
    task.complete(actor_id=ASSIGNEE, now=DEADLINE - timedelta(microseconds=1))
    assert task.status is S.COMPLETED


LATE = DEADLINE + timedelta(seconds=1)
LATE_MOVES: dict[str, Callable[[Task], None]] = {
    "assign": lambda task: task.assign(OTHER, actor_id=CREATOR, now=LATE),
    "start": lambda task: task.start(actor_id=ASSIGNEE, now=LATE),
}


@pytest.mark.parametrize("event", LATE_MOVES)
def test_an_overdue_task_refuses_to_move_on(event: str) -> None:
    task = task_in(S.PENDING)
    with pytest.raises(TaskExpired):
        LATE_MOVES[event](task)
    assert (task.status, task.assigned_to) == (S.PENDING, ASSIGNEE)
    assert task.pull_events() == []


def test_a_finished_task_past_its_deadline_is_refused_as_finished_not_as_overdue() -> None:
    task = task_in(S.COMPLETED)
    with pytest.raises(InvalidTransition):
        task.start(actor_id=ASSIGNEE, now=LATE)


def test_releasing_an_overdue_task_fails_it_and_keeps_its_assignee() -> None:
    task = task_in(S.IN_PROGRESS)
    task.release(actor_id=CREATOR, now=LATE)
    assert (task.status, task.assigned_to) == (S.FAILED, ASSIGNEE)
    assert [e.type for e in task.pull_events()] == [TaskEventType.EXPIRED]
