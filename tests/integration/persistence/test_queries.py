"""The read side: filters, orders, pages, statistics and soft deletes, on both databases."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

import pytest

from adapters.sqlalchemy.read import SqlHistoryQueries, SqlTaskQueries, SqlUserQueries
from application.paging import PageRequest
from application.read_models import TaskFilter, TaskOrder, UserFilter, UserStats
from domain.status import TaskEventType, TaskStatus, TaskType
from domain.task import Task
from domain.user import User
from persistence.support import Store, later, new_task, new_user


@dataclass
class World:
    ann: User  # admin, creates everything, is assigned nothing
    bob: User
    cat: User
    gone: User  # deleted
    tasks: dict[str, Task]


@pytest.fixture
def world(store: Store) -> World:
    """Bob: one task in each status but unassigned, plus a deleted one that must not count.
    Cat: one completed of three. A deleted user keeps a completed task for history."""
    ann = new_user("ann@example.com", "Ann", now=later(0), is_admin=True)
    bob = new_user("bob@example.com", "Bob", now=later(1))
    cat = new_user("cat@example.com", "Cat", now=later(2))
    gone = new_user("gone@example.com", "Gone", now=later(3))
    by = ann.external_id
    t = {
        "open": new_task(ann, "open", now=later(10), deadline=later(500), type=TaskType.LOW),
        "bob_pending": new_task(ann, "bob pending", now=later(11), deadline=later(300)),
        "bob_started": new_task(ann, "bob started", now=later(12), type=TaskType.URGENT),
        "bob_done": new_task(ann, "bob done", now=later(13), deadline=later(400)),
        "bob_failed": new_task(ann, "bob failed", now=later(14), deadline=later(100)),
        "bob_deleted": new_task(ann, "bob deleted", now=later(15)),
        "cat_done": new_task(ann, "cat done", now=later(16), type=TaskType.URGENT),
        "cat_pending_1": new_task(ann, "cat pending 1", now=later(17), deadline=later(200)),
        "cat_pending_2": new_task(ann, "cat pending 2", now=later(17), deadline=later(200)),
        "gone_done": new_task(ann, "gone done", now=later(18)),
    }
    for key, task in t.items():
        owner = bob if key.startswith("bob") else cat if key.startswith("cat") else gone
        if key != "open":
            task.assign(owner.external_id, actor_id=by, now=later(20))
    t["bob_started"].start(actor_id=bob.external_id, now=later(21))
    for key in ("bob_done", "cat_done", "gone_done"):
        t[key].complete(actor_id=t[key].assigned_to or by, now=later(22))
    t["bob_failed"].expire(later(101))
    t["bob_deleted"].delete(actor_id=by, now=later(23))
    gone.delete(now=later(24))
    store.save(ann, bob, cat, gone, *t.values())
    return World(ann, bob, cat, gone, t)


def _names(page: object) -> list[str]:
    return [item.name for item in page.items]  # type: ignore[attr-defined]


def test_the_task_list_skips_deleted_tasks_and_counts_the_rest(store: Store, world: World) -> None:
    page = SqlTaskQueries(store.reads).page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(100))
    assert page.count == 9
    assert "bob deleted" not in _names(page)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (TaskFilter(status=TaskStatus.PENDING), {"bob pending", "cat pending 1", "cat pending 2"}),
        (TaskFilter(status=TaskStatus.FAILED), {"bob failed"}),
        (TaskFilter(status=TaskStatus.UNASSIGNED), {"open"}),
        (TaskFilter(type=TaskType.URGENT), {"bob started", "cat done"}),
        (TaskFilter(type=TaskType.LOW), {"open"}),
        (TaskFilter(status=TaskStatus.COMPLETED, type=TaskType.URGENT), {"cat done"}),
    ],
)
def test_tasks_filter_by_status_and_type(
    store: Store, world: World, where: TaskFilter, expected: set[str]
) -> None:
    page = SqlTaskQueries(store.reads).page(where, TaskOrder.CREATED_AT, PageRequest(100))
    assert set(_names(page)) == expected
    assert page.count == len(expected)


def test_tasks_filter_by_assignee_and_by_id(store: Store, world: World) -> None:
    queries = SqlTaskQueries(store.reads)
    bobs = queries.page(
        TaskFilter(assigned_to=world.bob.external_id), TaskOrder.CREATED_AT, PageRequest(100)
    )
    assert _names(bobs) == ["bob pending", "bob started", "bob done", "bob failed"]
    one = queries.page(
        TaskFilter(external_id=world.tasks["cat_done"].external_id),
        TaskOrder.CREATED_AT,
        PageRequest(),
    )
    assert _names(one) == ["cat done"]
    deleted = queries.page(
        TaskFilter(external_id=world.tasks["bob_deleted"].external_id),
        TaskOrder.CREATED_AT,
        PageRequest(),
    )
    assert deleted.count == 0
    assert deleted.items == []


def test_a_task_filtered_by_id_counts_itself_when_it_matches_the_rest(
    store: Store, world: World
) -> None:
    queries = SqlTaskQueries(store.reads)
    done = world.tasks["cat_done"].external_id

    past_it = queries.page(TaskFilter(external_id=done), TaskOrder.CREATED_AT, PageRequest(1, 1))
    other_status = queries.page(
        TaskFilter(external_id=done, status=TaskStatus.PENDING), TaskOrder.CREATED_AT, PageRequest()
    )

    assert (past_it.count, past_it.items) == (1, [])
    assert (other_status.count, other_status.items) == (0, [])


def test_no_task_is_assigned_to_the_nil_id_that_tallies_unassigned_work(
    store: Store, world: World
) -> None:
    page = SqlTaskQueries(store.reads).page(
        TaskFilter(assigned_to=UUID(int=0)), TaskOrder.CREATED_AT, PageRequest(100)
    )
    assert (page.count, page.items) == (0, [])


def test_tasks_order_by_creation_with_the_id_breaking_ties(store: Store, world: World) -> None:
    queries = SqlTaskQueries(store.reads)
    twins = sorted(
        [world.tasks["cat_pending_1"], world.tasks["cat_pending_2"]], key=lambda t: t.external_id
    )
    up = queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(100))
    down = queries.page(TaskFilter(), TaskOrder.CREATED_AT_DESC, PageRequest(100))
    assert _names(up)[:6] == [
        "open",
        "bob pending",
        "bob started",
        "bob done",
        "bob failed",
        "cat done",
    ]
    assert _names(up)[6:8] == [t.name for t in twins]
    assert _names(up)[8] == "gone done"
    assert _names(down) == list(reversed(_names(up)))


def test_tasks_order_by_deadline_with_no_deadline_as_furthest(store: Store, world: World) -> None:
    queries = SqlTaskQueries(store.reads)
    up = queries.page(TaskFilter(), TaskOrder.DEADLINE, PageRequest(100))
    down = queries.page(TaskFilter(), TaskOrder.DEADLINE_DESC, PageRequest(100))
    dated = ["bob failed", "cat pending 1|cat pending 2", "bob pending", "bob done", "open"]
    names_up = _names(up)
    twins = sorted(names_up[1:3])
    assert [names_up[0], "|".join(twins), *names_up[3:6]] == dated
    assert set(names_up[6:]) == {"bob started", "cat done", "gone done"}
    assert _names(down) == list(reversed(names_up))


def test_pages_slice_the_ordered_list_and_say_what_is_around(store: Store, world: World) -> None:
    queries = SqlTaskQueries(store.reads)
    everything = _names(queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(100)))

    first = queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=4, offset=0))
    middle = queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=4, offset=4))
    last = queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=4, offset=8))
    beyond = queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=4, offset=50))

    assert _names(first) + _names(middle) + _names(last) == everything
    assert (first.has_previous, first.has_next) == (False, True)
    assert (middle.has_previous, middle.has_next) == (True, True)
    assert (last.has_previous, last.has_next, len(last.items)) == (True, False, 1)
    assert (beyond.items, beyond.count, beyond.has_next) == ([], 9, False)


def test_user_statistics_are_exact(store: Store, world: World) -> None:
    page = SqlUserQueries(store.reads).page(UserFilter(), PageRequest())
    stats = {user.name: user.stats for user in page.items}

    assert stats == {
        "Ann": UserStats(assigned=0, completed=0, in_progress=0, failed=0),
        "Bob": UserStats(assigned=4, completed=1, in_progress=1, failed=1),
        "Cat": UserStats(assigned=3, completed=1, in_progress=0, failed=0),
    }
    assert stats["Bob"].completion_percentage == 25.0
    assert stats["Cat"].completion_percentage == 33.33
    assert stats["Ann"].completion_percentage == 0.0


def test_the_user_list_skips_deleted_users_and_pages(store: Store, world: World) -> None:
    queries = SqlUserQueries(store.reads)
    first = queries.page(UserFilter(), PageRequest(limit=2))
    second = queries.page(UserFilter(), PageRequest(limit=2, offset=2))
    by_id = queries.page(UserFilter(external_id=world.cat.external_id), PageRequest())

    assert [u.name for u in first.items] == ["Ann", "Bob"]
    assert [u.name for u in second.items] == ["Cat"]
    assert (first.count, first.has_next, second.has_next) == (3, True, False)
    assert [u.name for u in by_id.items] == ["Cat"]
    assert queries.get(world.gone.external_id) is None
    assert queries.page(UserFilter(external_id=world.gone.external_id), PageRequest()).count == 0


def test_one_user_comes_with_statistics(store: Store, world: World) -> None:
    bob = SqlUserQueries(store.reads).get(world.bob.external_id)
    assert bob is not None
    assert (bob.email, bob.is_admin, bob.created_at) == ("bob@example.com", False, later(1))
    assert bob.stats == UserStats(assigned=4, completed=1, in_progress=1, failed=1)


def test_a_task_shows_its_assignee_with_their_statistics(store: Store, world: World) -> None:
    queries = SqlTaskQueries(store.reads)
    task = queries.get(world.tasks["cat_done"].external_id)
    assert task is not None
    assert task.assigned_to is not None
    assert task.assigned_to.name == "Cat"
    assert task.assigned_to.stats == UserStats(assigned=3, completed=1)
    assert (task.status, task.type, task.completed_at) == (
        TaskStatus.COMPLETED,
        TaskType.URGENT,
        later(22),
    )
    assert task.created_by == world.ann.external_id
    unassigned = queries.get(world.tasks["open"].external_id)
    assert unassigned is not None
    assert unassigned.assigned_to is None


def test_finished_work_keeps_its_deleted_assignee(store: Store, world: World) -> None:
    task = SqlTaskQueries(store.reads).get(world.tasks["gone_done"].external_id)
    assert task is not None
    assert task.assigned_to is not None
    assert task.assigned_to.external_id == world.gone.external_id
    assert task.assigned_to.stats == UserStats(assigned=1, completed=1)


def test_a_deleted_task_is_not_found(store: Store, world: World) -> None:
    queries = SqlTaskQueries(store.reads)
    assert queries.get(world.tasks["bob_deleted"].external_id) is None
    assert (
        SqlHistoryQueries(store.reads).page(world.tasks["bob_deleted"].external_id, PageRequest())
        is None
    )
    assert queries.get(UUID(int=0)) is None


def test_history_is_newest_first_with_actors_and_the_system(store: Store, world: World) -> None:
    history = SqlHistoryQueries(store.reads)
    failed_id = world.tasks["bob_failed"].external_id

    page = history.page(failed_id, PageRequest())

    assert page is not None
    assert [(e.type, e.from_status, e.to_status) for e in page.items] == [
        (TaskEventType.EXPIRED, TaskStatus.PENDING, TaskStatus.FAILED),
        (TaskEventType.ASSIGNED, TaskStatus.UNASSIGNED, TaskStatus.PENDING),
        (TaskEventType.CREATED, None, TaskStatus.UNASSIGNED),
    ]
    assert [e.at for e in page.items] == [later(101), later(20), later(14)]
    expired, assigned, _ = page.items
    assert expired.actor is None
    assert assigned.actor is not None
    assert (assigned.actor.external_id, assigned.actor.name, assigned.actor.email) == (
        world.ann.external_id,
        "Ann",
        "ann@example.com",
    )
    assert assigned.changes["assigned_to"].new == str(world.bob.external_id)


def test_history_pages_and_orders_events_of_the_same_instant(store: Store, world: World) -> None:
    # Created, edited and assigned in one instant: newest first is the order they happened in,
    # reversed.
    task = new_task(world.ann, "busy", now=later(30))
    task.edit(actor_id=world.ann.external_id, now=later(30), description="more")
    task.assign(world.bob.external_id, actor_id=world.ann.external_id, now=later(30))
    store.save(task)
    history = SqlHistoryQueries(store.reads)

    first = history.page(task.external_id, PageRequest(limit=2))
    rest = history.page(task.external_id, PageRequest(limit=2, offset=2))

    assert first is not None
    assert rest is not None
    assert [e.type for e in [*first.items, *rest.items]] == [
        TaskEventType.ASSIGNED,
        TaskEventType.EDITED,
        TaskEventType.CREATED,
    ]
    assert (first.count, first.has_next, rest.has_next) == (3, True, False)
    assert history.page(UUID(int=1), PageRequest()) is None
