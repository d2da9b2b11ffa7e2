"""Cursor paging: a cursor continues a list just past a row, is sealed, and belongs to one
list (its filter and order)."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest

from adapters.signing import HmacSigner
from application.cursors import NOT_A_CURSOR, OTHER_LIST, Cursors
from application.errors import InvalidInput
from application.paging import OFFSET_WITH_CURSOR, Direction, Keyset, Page, PageRequest, Position
from application.policy import Actor
from application.read_models import TaskFilter, TaskOrder, TaskView, UserFilter
from domain.status import TaskStatus
from unit.harness import DAY, Core

ORDERS = list(TaskOrder)


def ids(page: Page[TaskView]) -> list[UUID]:
    return [task.external_id for task in page.items]


@pytest.fixture
def seven(core: Core) -> list[UUID]:
    """Seven tasks a minute apart, every third without a deadline, the rest due in reverse
    order of creation (so that the two orders differ)."""
    ada = core.user()
    made = []
    for n in range(7):
        due = None if n % 3 == 0 else DAY - timedelta(hours=n)
        made.append(core.task(ada, due_in=due, name=f"t{n}"))
        core.clock.advance(timedelta(minutes=1))
    return made


def walk(core: Core, order: TaskOrder, where: TaskFilter | None = None) -> list[UUID]:
    """The whole list, two at a time, by following next_cursor."""
    where = where or TaskFilter()
    page = core.list_tasks(where, order, PageRequest(limit=2))
    seen = ids(page)
    while page.next_cursor is not None:
        page = core.list_tasks(where, order, PageRequest(limit=2), page.next_cursor)
        seen += ids(page)
    return seen


class TestWalking:
    @pytest.mark.parametrize("order", ORDERS)
    def test_following_next_cursors_reads_the_list_in_its_order(
        self, core: Core, seven: list[UUID], order: TaskOrder
    ) -> None:
        whole = ids(core.list_tasks(TaskFilter(), order, PageRequest(limit=100)))
        assert walk(core, order) == whole
        assert sorted(whole) == sorted(seven)

    @pytest.mark.parametrize("order", ORDERS)
    def test_previous_cursor_walks_back_to_the_same_pages(
        self, core: Core, seven: list[UUID], order: TaskOrder
    ) -> None:
        first = core.list_tasks(TaskFilter(), order, PageRequest(limit=3))
        second = core.list_tasks(TaskFilter(), order, PageRequest(limit=3), first.next_cursor)
        back = core.list_tasks(TaskFilter(), order, PageRequest(limit=3), second.previous_cursor)
        assert ids(back) == ids(first)
        assert (back.has_previous, back.previous_cursor, back.has_next) == (False, None, True)

    def test_the_ends_have_no_cursor_beyond_them(self, core: Core, seven: list[UUID]) -> None:
        first = core.list_tasks(TaskFilter(), page=PageRequest(limit=5))
        assert (first.previous_cursor is None, first.next_cursor is None) == (True, False)
        last = core.list_tasks(TaskFilter(), page=PageRequest(limit=5), cursor=first.next_cursor)
        assert len(last.items) == 2
        assert (last.next_cursor is None, last.previous_cursor is None) == (True, False)
        assert (last.has_previous, last.has_next) == (True, False)

    def test_a_cursor_does_not_move_when_rows_before_it_go(
        self, core: Core, seven: list[UUID]
    ) -> None:
        first = core.list_tasks(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=3))
        ada = core.saved_task(seven[0]).created_by
        for gone in seven[:3]:
            core.delete_task(Actor(user_id=ada, is_admin=False), gone)
        rest = core.list_tasks(
            TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=3), first.next_cursor
        )
        assert ids(rest) == seven[3:6]

    def test_a_filtered_list_walks_within_its_filter(self, core: Core, seven: list[UUID]) -> None:
        bob, ada = core.user("Bob"), core.user("Ada")
        mine = []
        for _ in range(3):
            mine.append(core.task(ada, assignee=bob))
            core.clock.advance(timedelta(seconds=1))
        where = TaskFilter(status=TaskStatus.PENDING)
        assert walk(core, TaskOrder.CREATED_AT, where) == mine

    def test_users_walk_by_cursor_too(self, core: Core) -> None:
        made = []
        for n in range(5):
            made.append(core.user(f"U{n}").user_id)
            core.clock.advance(timedelta(seconds=1))
        page = core.list_users(UserFilter(), PageRequest(limit=2))
        seen = [user.external_id for user in page.items]
        while page.next_cursor:
            page = core.list_users(UserFilter(), PageRequest(limit=2), page.next_cursor)
            seen += [user.external_id for user in page.items]
        assert seen == made


class TestRefusals:
    def test_a_tampered_cursor_is_refused(self, core: Core, seven: list[UUID]) -> None:
        token = core.list_tasks(TaskFilter(), page=PageRequest(limit=2)).next_cursor
        assert token is not None
        body, tag = token.split(".")
        for forged in (body[:-1] + ("A" if body[-1] != "A" else "B") + "." + tag, token[:-2], "x"):
            with pytest.raises(InvalidInput) as refused:
                core.list_tasks(TaskFilter(), cursor=forged)
            assert refused.value.errors == {"cursor": [NOT_A_CURSOR]}

    def test_a_cursor_signed_with_another_key_is_refused(self, core: Core) -> None:
        at = Keyset(Position(None, UUID(int=1)), Direction.NEXT)
        scope = f"tasks {TaskOrder.CREATED_AT_DESC.value} {TaskFilter()!r}"
        foreign = Cursors(HmacSigner("another-secret", "list cursors")).write(at, scope)
        with pytest.raises(InvalidInput):
            core.list_tasks(TaskFilter(), cursor=foreign)
        assert core.cursors.read(core.cursors.write(at, scope), scope) == at

    @pytest.mark.parametrize(
        ("where", "order"),
        [
            (TaskFilter(status=TaskStatus.PENDING), TaskOrder.CREATED_AT_DESC),
            (TaskFilter(), TaskOrder.DEADLINE),
        ],
    )
    def test_a_cursor_of_another_filter_or_order_is_refused(
        self, core: Core, seven: list[UUID], where: TaskFilter, order: TaskOrder
    ) -> None:
        token = core.list_tasks(TaskFilter(), page=PageRequest(limit=2)).next_cursor
        with pytest.raises(InvalidInput) as refused:
            core.list_tasks(where, order, cursor=token)
        assert refused.value.errors == {"cursor": [OTHER_LIST]}

    def test_a_task_cursor_is_no_user_cursor(self, core: Core, seven: list[UUID]) -> None:
        token = core.list_tasks(TaskFilter(), page=PageRequest(limit=2)).next_cursor
        with pytest.raises(InvalidInput):
            core.list_users(UserFilter(), cursor=token)

    def test_an_offset_and_a_cursor_together_are_refused(
        self, core: Core, seven: list[UUID]
    ) -> None:
        token = core.list_tasks(TaskFilter(), page=PageRequest(limit=2)).next_cursor
        with pytest.raises(InvalidInput) as refused:
            core.list_tasks(TaskFilter(), page=PageRequest(offset=2), cursor=token)
        assert refused.value.errors == {"offset": [OFFSET_WITH_CURSOR]}


class TestCounting:
    def test_count_false_skips_the_count_but_still_knows_what_follows(
        self, core: Core, seven: list[UUID]
    ) -> None:
        page = core.list_tasks(TaskFilter(), page=PageRequest(limit=3, count=False))
        assert (page.count, len(page.items), page.has_next) == (None, 3, True)
        last = core.list_tasks(TaskFilter(), page=PageRequest(limit=3, offset=6, count=False))
        assert (last.count, len(last.items), last.has_next) == (None, 1, False)


class TestSigner:
    def test_a_sealed_message_comes_back_unchanged_and_only_from_our_key(self) -> None:
        signer = HmacSigner("secret", "list cursors")
        token = signer.sign('["a",1]')
        assert signer.unsign(token) == '["a",1]'
        assert HmacSigner("secret", "another purpose").unsign(token) is None
        assert HmacSigner("other", "list cursors").unsign(token) is None

    @pytest.mark.parametrize("junk", ["", ".", "a.b.c", "é.é", "!!!.???", "x" * 600])
    def test_anything_else_is_not_a_token(self, junk: str) -> None:
        assert HmacSigner("secret", "list cursors").unsign(junk) is None
