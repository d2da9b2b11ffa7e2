"""ExpireOverdueTasks: the sweep fails open tasks whose deadline has passed, and only those."""

from __future__ import annotations

from datetime import timedelta

from domain.status import TaskEventType, TaskStatus
from unit.harness import DAY, Core

HOUR = timedelta(hours=1)


def test_fails_every_open_task_whose_deadline_has_passed_and_nothing_else(core: Core) -> None:
    creator, worker = core.user(), core.user()
    overdue = [
        core.task(creator, due_in=HOUR),
        core.task(creator, assignee=worker, due_in=HOUR),
        core.task(creator, assignee=worker, status=TaskStatus.IN_PROGRESS, due_in=HOUR),
    ]
    completed = core.task(creator, assignee=worker, status=TaskStatus.COMPLETED, due_in=HOUR)
    not_yet = core.task(creator, assignee=worker, due_in=DAY)
    undated = core.task(creator, due_in=None)
    deleted = core.task(creator, due_in=HOUR)
    core.delete_task(creator, deleted)
    core.clock.advance(2 * HOUR)

    assert core.expire_overdue().failed == len(overdue)

    assert [core.saved_task(t).status for t in overdue] == [TaskStatus.FAILED] * 3
    assert core.saved_task(completed).status is TaskStatus.COMPLETED
    assert core.saved_task(not_yet).status is TaskStatus.PENDING
    assert core.saved_task(undated).status is TaskStatus.UNASSIGNED
    assert core.saved_task(deleted).status is TaskStatus.UNASSIGNED


def test_a_task_fails_at_its_deadline_exactly(core: Core) -> None:
    task_id = core.task(core.user(), due_in=HOUR)
    core.clock.advance(HOUR - timedelta(microseconds=1))
    assert core.expire_overdue().failed == 0
    core.clock.advance(timedelta(microseconds=1))
    assert core.expire_overdue().failed == 1
    assert core.saved_task(task_id).status is TaskStatus.FAILED


def test_expiry_is_idempotent(core: Core) -> None:
    creator = core.user()
    tasks = [core.task(creator, due_in=HOUR) for _ in range(3)]
    core.clock.advance(2 * HOUR)
    assert core.expire_overdue().failed == 3
    assert core.expire_overdue().failed == 0
    core.clock.advance(DAY)
    assert core.expire_overdue().failed == 0
    for task_id in tasks:
        expired = [e for e in core.events(task_id) if e.type is TaskEventType.EXPIRED]
        assert len(expired) == 1


def test_the_system_is_the_actor_of_an_expiry(core: Core) -> None:
    task_id = core.task(core.user(), due_in=HOUR)
    core.clock.advance(2 * HOUR)
    core.expire_overdue()
    event = core.events(task_id)[-1]
    assert (event.type, event.actor_id, event.at) == (
        TaskEventType.EXPIRED,
        None,
        core.clock.now(),
    )
    [entry, *_] = core.task_history(task_id).items
    assert (entry.type, entry.actor) == (TaskEventType.EXPIRED, None)


def test_a_failed_task_keeps_its_assignee_and_counts_as_their_failure(core: Core) -> None:
    creator, worker = core.user(), core.user()
    task_id = core.task(creator, assignee=worker, due_in=HOUR)
    core.clock.advance(2 * HOUR)
    core.expire_overdue()
    assert core.saved_task(task_id).assigned_to == worker.user_id
    stats = core.get_user(worker.user_id).stats
    assert (stats.assigned, stats.failed, stats.completion_percentage) == (1, 1, 0.0)


def test_the_sweep_reports_how_late_each_task_failed(core: Core) -> None:
    creator = core.user()
    core.task(creator, due_in=HOUR)
    core.task(creator, due_in=2 * HOUR)
    core.task(creator, due_in=DAY)
    core.clock.advance(3 * HOUR)

    report = core.expire_overdue()

    assert report.at == core.clock.now()
    assert (report.failed, sorted(report.lags_seconds)) == (2, [3600.0, 7200.0])
    assert core.expire_overdue().lags_seconds == ()
