"""The read side: paging rules, filters, order, statistics."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from uuid import uuid4

import pytest

from application.errors import InvalidInput, NotFound
from application.paging import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, PageRequest
from application.read_models import TaskFilter, TaskOrder, UserFilter, UserStats
from domain.status import TaskStatus, TaskType
from unit.harness import DAY, Core


class TestPaging:
    def test_a_page_is_ten_by_default_and_never_more_than_a_hundred(self) -> None:
        assert PageRequest().limit == DEFAULT_LIMIT == 10
        assert PageRequest(limit=MAX_LIMIT).limit == 100
        assert PageRequest(limit=1000).limit == 100

    @pytest.mark.parametrize(
        ("limit", "offset", "fields"),
        [(-1, 0, {"limit"}), (10, -1, {"offset"}), (-5, -5, {"limit", "offset"})],
    )
    def test_negative_limits_and_offsets_are_refused(
        self, limit: int, offset: int, fields: set[str]
    ) -> None:
        with pytest.raises(InvalidInput) as refused:
            PageRequest(limit=limit, offset=offset)
        assert set(refused.value.errors) == fields

    def test_an_offset_beyond_any_store_is_refused(self) -> None:
        assert PageRequest(offset=MAX_OFFSET).offset == MAX_OFFSET
        with pytest.raises(InvalidInput):
            PageRequest(offset=MAX_OFFSET + 1)

    def test_a_page_knows_what_lies_before_and_after_it(self, core: Core) -> None:
        for _ in range(12):
            core.user()
        first = core.list_users(UserFilter(), PageRequest(limit=5))
        last = core.list_users(UserFilter(), PageRequest(limit=5, offset=10))
        assert (first.count, len(first.items), first.has_previous, first.has_next) == (
            12,
            5,
            False,
            True,
        )
        assert (len(last.items), last.has_previous, last.has_next) == (2, True, False)
        assert core.list_users(UserFilter(), PageRequest(limit=0)).items == []


class TestListTasks:
    def test_filters_combine(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        wanted = core.task(creator, assignee=worker)
        core.task(creator)
        core.task(creator, assignee=worker, status=TaskStatus.IN_PROGRESS)
        page = core.list_tasks(TaskFilter(status=TaskStatus.PENDING, assigned_to=worker.user_id))
        assert [t.external_id for t in page.items] == [wanted]
        assert core.list_tasks(TaskFilter(type=TaskType.URGENT)).count == 0
        assert core.list_tasks(TaskFilter(external_id=wanted)).items[0].external_id == wanted

    def test_newest_first_by_default_or_by_deadline_on_request(self, core: Core) -> None:
        creator = core.user()
        late = core.task(creator, due_in=3 * DAY)
        core.clock.advance(timedelta(minutes=1))
        soon = core.task(creator, due_in=DAY)
        ids = [t.external_id for t in core.list_tasks(TaskFilter()).items]
        assert ids == [soon, late]
        by_deadline = core.list_tasks(TaskFilter(), TaskOrder.DEADLINE)
        assert [t.external_id for t in by_deadline.items] == [soon, late]
        by_deadline_desc = core.list_tasks(TaskFilter(), TaskOrder.DEADLINE_DESC)
        assert [t.external_id for t in by_deadline_desc.items] == [late, soon]

    def test_an_unknown_task_or_user_is_not_found(self, core: Core) -> None:
        for read in (core.get_task, core.get_user, core.task_history):
            with pytest.raises(NotFound):
                read(uuid4())


class TestStatistics:
    @pytest.mark.parametrize(
        ("assigned", "completed", "percentage"),
        [(0, 0, 0.0), (3, 3, 100.0), (3, 1, 33.33), (3, 2, 66.67), (800, 1, 0.13), (8, 1, 12.5)],
    )
    def test_completion_percentage_is_rounded_half_up_to_two_decimals(
        self, assigned: int, completed: int, percentage: float
    ) -> None:
        stats = UserStats(assigned=assigned, completed=completed)
        assert stats.completion_percentage == percentage

    def test_completion_percentage_is_what_decimal_arithmetic_says(self) -> None:
        for assigned in range(1, 401):
            for completed in range(assigned + 1):
                exact = Decimal(completed * 100) / Decimal(assigned)
                expected = float(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
                got = UserStats(assigned=assigned, completed=completed).completion_percentage
                assert got == expected, (assigned, completed)

    def test_every_status_of_a_users_tasks_is_counted(self, core: Core) -> None:
        creator, worker = core.user(), core.user()
        for status in (
            TaskStatus.PENDING,
            TaskStatus.IN_PROGRESS,
            TaskStatus.COMPLETED,
            TaskStatus.COMPLETED,
            TaskStatus.FAILED,
            TaskStatus.FAILED,
        ):
            core.task(creator, assignee=worker, status=status)
        core.task(creator)
        [view] = core.list_users(UserFilter(external_id=worker.user_id)).items
        stats = view.stats
        assert (stats.assigned, stats.completed, stats.in_progress, stats.failed) == (6, 2, 1, 2)
        assert stats.completion_percentage == 33.33
        assert core.get_user(creator.user_id).stats == UserStats()
