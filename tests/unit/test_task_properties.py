"""Whatever happens to a task, in whatever order and at whatever time, its invariants hold:
completed ⇔ completed_at set; a failed task never has completed_at; a terminal task never
changes again; a refused move changes nothing; and the recorded events chain from one status
to the next along the arrows of the transition table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError, TaskExpired
from domain.events import TaskEvent
from domain.status import STATUS_EVENTS, TRANSITIONS, TaskEventType, TaskStatus
from domain.task import Task

NOW = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
PEOPLE = [uuid4() for _ in range(3)]
MOVES = ["assign", "start", "complete", "expire", "release", "rename", "extend", "delete"]


@dataclass(frozen=True)
class Snapshot:
    status: TaskStatus
    assigned_to: UUID | None
    completed_at: datetime | None
    name: str
    deadline: datetime | None
    updated_at: datetime
    deleted_at: datetime | None

    @classmethod
    def of(cls, task: Task) -> Snapshot:
        return cls(
            task.status,
            task.assigned_to,
            task.completed_at,
            task.name,
            task.deadline,
            task.updated_at,
            task.deleted_at,
        )


def apply(task: Task, move: str, who: UUID, now: datetime) -> None:
    if move == "assign":
        task.assign(who, actor_id=who, now=now)
    elif move == "start":
        task.start(actor_id=who, now=now)
    elif move == "complete":
        task.complete(actor_id=who, now=now)
    elif move == "expire":
        task.expire(now)
    elif move == "release":
        task.release(actor_id=who, now=now)
    elif move == "rename":
        task.edit(actor_id=who, now=now, name=f"Renamed at {now.isoformat()}")
    elif move == "extend":
        task.edit(actor_id=who, now=now, deadline=now + timedelta(hours=1))
    else:
        task.delete(actor_id=who, now=now)


def check_state(task: Task, before: Snapshot) -> None:
    assert (task.status is TaskStatus.COMPLETED) == (task.completed_at is not None)
    if task.status is TaskStatus.FAILED:
        assert task.completed_at is None
    if before.status.is_terminal:
        assert (task.status, task.completed_at) == (before.status, before.completed_at)
    if task.status is TaskStatus.UNASSIGNED:
        assert task.assigned_to is None
    if task.status in (TaskStatus.PENDING, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED):
        assert task.assigned_to is not None
    if task.completed_at is not None and task.deadline is not None:
        assert task.completed_at < task.deadline


def check_chain(events: list[TaskEvent], task: Task) -> None:
    first, *rest = events
    assert (first.type, first.from_status, first.to_status) == (
        TaskEventType.CREATED,
        None,
        TaskStatus.UNASSIGNED,
    )
    for previous, event in zip(events, rest, strict=False):
        assert event.from_status is previous.to_status
        assert event.at >= previous.at
        assert event.task_id == task.external_id
        if event.type in STATUS_EVENTS:
            assert event.from_status is not None
            assert TRANSITIONS[(event.from_status, event.type)] is event.to_status
        else:
            assert event.to_status is event.from_status
    assert events[-1].to_status is task.status


#: Mostly short waits, so that tasks often finish before their deadline; sometimes long ones.
waits = st.integers(0, 60) | st.integers(0, 4 * 3600)
steps = st.lists(st.tuples(st.sampled_from(MOVES), st.sampled_from(PEOPLE), waits), max_size=30)


@settings(max_examples=300, deadline=None)
@given(due_in=st.none() | st.integers(1, 12 * 3600), steps=steps)
def test_random_event_sequences_keep_the_invariants(
    due_in: int | None, steps: list[tuple[str, UUID, int]]
) -> None:
    now = NOW
    deadline = None if due_in is None else now + timedelta(seconds=due_in)
    task = Task.create(name="Write the report", created_by=PEOPLE[0], now=now, deadline=deadline)
    events = task.pull_events()
    for move, who, wait in steps:
        now += timedelta(seconds=wait)
        before = Snapshot.of(task)
        try:
            apply(task, move, who, now)
        except DomainError as refusal:
            if isinstance(refusal, TaskExpired):
                assert not before.status.is_terminal
                assert task.is_overdue(now)
            assert Snapshot.of(task) == before
            assert task.pull_events() == []
        check_state(task, before)
        events += task.pull_events()
    check_chain(events, task)
