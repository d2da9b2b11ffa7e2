"""RemindDeadlines: once per deadline, with the task's own lead time or the default."""

from __future__ import annotations

from datetime import timedelta

from application.reminders import RemindDeadlines
from domain.status import TaskStatus
from unit.harness import Core

HOUR = timedelta(hours=1)


def test_reminds_each_due_task_once_per_deadline(core: Core) -> None:
    creator = core.user()
    core.task(creator, due_in=2 * HOUR)
    core.task(creator, due_in=10 * HOUR)
    core.task(creator, assignee=creator, status=TaskStatus.COMPLETED, due_in=2 * HOUR)
    remind = RemindDeadlines(core.uow, core.clock, 3600)

    assert remind() == 0
    core.clock.advance(HOUR)
    assert remind() == 1
    assert remind() == 0
