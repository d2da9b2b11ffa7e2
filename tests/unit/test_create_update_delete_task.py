"""CreateTask, UpdateTask and DeleteTask."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import NotFound
from application.read_models import TaskFilter
from domain.errors import InvalidValue, TaskExpired, TaskIsTerminal
from domain.status import TaskEventType, TaskStatus, TaskType
from unit.harness import DAY, Core


class TestCreateTask:
    def test_the_caller_becomes_the_creator_of_an_unassigned_task(self, core: Core) -> None:
        creator = core.user()
        deadline = core.clock.now() + DAY
        view = core.create_task(
            creator, name="Write", description="Draft", type=TaskType.URGENT, deadline=deadline
        )
        assert (view.created_by, view.status, view.assigned_to) == (
            creator.user_id,
            TaskStatus.UNASSIGNED,
            None,
        )
        assert (view.name, view.description, view.type, view.deadline) == (
            "Write",
            "Draft",
            TaskType.URGENT,
            deadline,
        )
        assert view == core.get_task(view.external_id)

    def test_a_deadline_in_the_past_is_refused_and_nothing_is_stored(self, core: Core) -> None:
        creator = core.user()
        with pytest.raises(InvalidValue, match="deadline"):
            core.create_task(creator, name="Late", deadline=core.clock.now() - DAY)
        assert core.uow.tasks.saved_all() == []
        assert core.uow.history == []


class TestUpdateTask:
    def test_the_creator_changes_what_they_ask_for_and_nothing_else(self, core: Core) -> None:
        creator = core.user()
        task_id = core.task(creator)
        before = core.get_task(task_id)
        core.clock.advance(timedelta(minutes=1))
        new_deadline = core.clock.now() + 3 * DAY
        view = core.update_task(creator, task_id, type=TaskType.LOW, deadline=new_deadline)
        assert (view.type, view.deadline, view.updated_at) == (
            TaskType.LOW,
            new_deadline,
            core.clock.now(),
        )
        assert (view.name, view.description, view.created_at) == (
            before.name,
            before.description,
            before.created_at,
        )

    @pytest.mark.parametrize("status", [TaskStatus.COMPLETED, TaskStatus.FAILED])
    def test_cannot_edit_a_terminal_task(self, core: Core, status: TaskStatus) -> None:
        creator, assignee = core.user(), core.user()
        task_id = core.task(creator, assignee=assignee, status=status)
        commits = core.uow.commits
        with pytest.raises(TaskIsTerminal):
            core.update_task(creator, task_id, name="Rewrite")
        assert core.uow.commits == commits
        assert core.saved_task(task_id).name == "Write the report"

    def test_editing_an_overdue_task_fails_it_and_keeps_the_failure(self, core: Core) -> None:
        creator = core.user()
        task_id = core.task(creator)
        core.clock.advance(DAY)
        with pytest.raises(TaskExpired):
            core.update_task(creator, task_id, name="Too late")
        saved = core.saved_task(task_id)
        assert (saved.status, saved.name) == (TaskStatus.FAILED, "Write the report")
        assert core.events(task_id)[-1].type is TaskEventType.EXPIRED

    def test_a_new_deadline_must_be_in_the_future(self, core: Core) -> None:
        creator = core.user()
        task_id = core.task(creator)
        with pytest.raises(InvalidValue):
            core.update_task(creator, task_id, deadline=core.clock.now())
        assert core.saved_task(task_id).deadline == core.clock.now() + DAY

    def test_an_unknown_task_is_not_found(self, core: Core) -> None:
        with pytest.raises(NotFound) as missing:
            core.update_task(core.user(), uuid4(), name="Anything")
        assert missing.value.kind == "Task"


class TestDeleteTask:
    def test_a_deleted_task_vanishes_from_every_read(self, core: Core) -> None:
        creator = core.user()
        task_id = core.task(creator)
        core.delete_task(creator, task_id)
        with pytest.raises(NotFound):
            core.get_task(task_id)
        with pytest.raises(NotFound):
            core.task_history(task_id)
        assert core.list_tasks(TaskFilter()).count == 0
        with pytest.raises(NotFound):
            core.update_task(creator, task_id, name="Back")
        with pytest.raises(NotFound):
            core.delete_task(creator, task_id)

    def test_deleting_is_soft(self, core: Core) -> None:
        creator = core.user()
        task_id = core.task(creator)
        core.delete_task(creator, task_id)
        saved = core.saved_task(task_id)
        assert saved.deleted_at == core.clock.now()
        assert saved.name == "Write the report"

    def test_a_deleted_task_no_longer_counts_for_its_assignee(self, core: Core) -> None:
        creator, assignee = core.user(), core.user()
        task_id = core.task(creator, assignee=assignee)
        core.task(creator, assignee=assignee, status=TaskStatus.COMPLETED)
        assert core.get_user(assignee.user_id).stats.assigned == 2
        core.delete_task(creator, task_id)
        stats = core.get_user(assignee.user_id).stats
        assert (stats.assigned, stats.completed, stats.completion_percentage) == (1, 1, 100.0)
