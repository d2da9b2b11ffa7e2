"""AssignTask, StartTask and CompleteTask: the work itself."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import NotFound
from domain.errors import InvalidTransition, TaskExpired
from domain.status import TaskEventType, TaskStatus
from unit.harness import DAY, Core


class TestAssignTask:
    def test_assigning_makes_the_task_pending_for_that_user(self, core: Core) -> None:
        creator, worker = core.user(), core.user("Wanda")
        task_id = core.task(creator)
        view = core.assign_task(creator, task_id, worker.user_id)
        assert view.status is TaskStatus.PENDING
        assert view.assigned_to is not None
        assert (view.assigned_to.external_id, view.assigned_to.name) == (worker.user_id, "Wanda")
        assert view.assigned_to.stats.assigned == 1

    def test_reassigning_a_task_in_progress_puts_it_back_to_pending(self, core: Core) -> None:
        creator, first, second = core.user(), core.user(), core.user()
        task_id = core.task(creator, assignee=first, status=TaskStatus.IN_PROGRESS)
        view = core.assign_task(creator, task_id, second.user_id)
        assert view.status is TaskStatus.PENDING
        assert core.saved_task(task_id).assigned_to == second.user_id

    def test_cannot_assign_to_an_unknown_or_deleted_user(self, core: Core) -> None:
        admin, gone = core.user(admin=True), core.user()
        task_id = core.task(admin)
        core.delete_user(admin, gone.user_id)
        for user_id in (uuid4(), gone.user_id):
            with pytest.raises(NotFound) as missing:
                core.assign_task(admin, task_id, user_id)
            assert (missing.value.kind, missing.value.identifier) == ("User", user_id)
        assert core.saved_task(task_id).status is TaskStatus.UNASSIGNED

    @pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.FAILED])
    def test_cannot_assign_a_finished_task(self, core: Core, status: TaskStatus) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker, status=status)
        with pytest.raises(InvalidTransition):
            core.assign_task(creator, task_id, creator.user_id)
        assert core.saved_task(task_id).assigned_to == worker.user_id

    def test_assigning_an_overdue_task_fails_it_and_keeps_the_failure(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator)
        core.clock.advance(DAY)
        with pytest.raises(TaskExpired):
            core.assign_task(creator, task_id, worker.user_id)
        saved = core.saved_task(task_id)
        assert (saved.status, saved.assigned_to) == (TaskStatus.FAILED, None)


class TestStartTask:
    def test_the_assignee_starts_a_pending_task(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker)
        assert core.start_task(worker, task_id).status is TaskStatus.IN_PROGRESS

    def test_cannot_start_a_task_twice(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker, status=TaskStatus.IN_PROGRESS)
        with pytest.raises(InvalidTransition):
            core.start_task(worker, task_id)

    def test_starting_an_overdue_task_fails_it(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker)
        core.clock.advance(DAY + timedelta(seconds=1))
        with pytest.raises(TaskExpired):
            core.start_task(worker, task_id)
        assert core.get_task(task_id).status is TaskStatus.FAILED


class TestCompleteTask:
    def test_the_assignee_completes_a_task_and_completed_at_is_set(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker, status=TaskStatus.IN_PROGRESS)
        core.clock.advance(timedelta(hours=3))
        view = core.complete_task(worker, task_id)
        assert (view.status, view.completed_at) == (TaskStatus.COMPLETED, core.clock.now())
        assert view.assigned_to is not None
        assert view.assigned_to.stats.completion_percentage == 100.0

    def test_a_pending_task_can_be_completed_without_being_started(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker)
        assert core.complete_task(worker, task_id).status is TaskStatus.COMPLETED

    def test_completion_locks_the_task_before_deciding(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker)
        core.complete_task(worker, task_id)
        assert task_id in core.uow.tasks.locked

    @pytest.mark.parametrize("late_by", [timedelta(0), timedelta(seconds=1), 30 * DAY])
    def test_cannot_complete_an_overdue_task(self, core: Core, late_by: timedelta) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker, status=TaskStatus.IN_PROGRESS)
        core.clock.advance(DAY + late_by)
        with pytest.raises(TaskExpired):
            core.complete_task(worker, task_id)
        saved = core.saved_task(task_id)
        assert (saved.status, saved.completed_at) == (TaskStatus.FAILED, None)
        expired = core.events(task_id)[-1]
        assert (expired.type, expired.actor_id, expired.at) == (
            TaskEventType.EXPIRED,
            None,
            core.clock.now(),
        )
        assert core.get_user(worker.user_id).stats.failed == 1

    def test_cannot_complete_a_task_the_sweep_already_failed(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        task_id = core.task(creator, assignee=worker)
        core.clock.advance(2 * DAY)
        assert core.expire_overdue().failed == 1
        with pytest.raises(InvalidTransition):
            core.complete_task(worker, task_id)
        assert core.saved_task(task_id).status is TaskStatus.FAILED

    def test_an_unknown_task_is_not_found(self, core: Core) -> None:
        with pytest.raises(NotFound):
            core.complete_task(core.user(), uuid4())
