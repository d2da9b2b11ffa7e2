"""Keyset pages in SQL: a cursor page reads through the order's index from its position —
a few rows, never a scan, however deep in the list — in the statements an offset page costs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, text

from adapters.sqlalchemy.read import SqlTaskQueries, SqlUserQueries
from application.paging import Direction, Keyset, PageRequest, Position
from application.read_models import TaskFilter, TaskOrder, TaskView, UserFilter
from domain.status import TaskStatus, TaskType
from persistence.support import T0, Store, counting_statements, later, new_task, new_user

LIMIT = 10
#: Tasks in the list: far more than a page, so that a scan would show in the rows read.
BULK = 4000
FILTERS = [TaskFilter(), TaskFilter(status=TaskStatus.UNASSIGNED), TaskFilter(type=TaskType.URGENT)]


@pytest.fixture
def bulk(store: Store) -> Store:
    """BULK tasks a second apart, every fourth without a deadline, half of them urgent."""
    ann = new_user()
    store.save(ann)
    with store.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO tasks (external_id, name, description, type, status, deadline,"
                " created_by, created_at, updated_at)"
                " SELECT gen_random_uuid(), 'bulk ' || n, '',"
                "  CASE WHEN n % 2 = 0 THEN 'urgent' ELSE 'normal' END, 'unassigned',"
                "  CASE WHEN n % 4 = 0 THEN NULL ELSE :t0 + (n * 7 % 1000) * interval '1 hour' END,"
                "  :creator, :t0 + n * interval '1 second', :t0"
                " FROM generate_series(1, :bulk) AS n"
            ),
            {"t0": T0, "creator": ann.external_id, "bulk": BULK},
        )
        connection.execute(text("ANALYZE tasks"))
    return store


def position(task: TaskView, order: TaskOrder) -> Position:
    return Position(task.deadline if order.by_deadline else task.created_at, task.external_id)


@contextmanager
def recording(store: Store) -> Iterator[list[tuple[str, Any]]]:
    """Every statement sent inside the block, with its parameters."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def plan_nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", []):
        yield from plan_nodes(child)


def deep_keyset(queries: SqlTaskQueries, where: TaskFilter, order: TaskOrder) -> Keyset:
    """A position in the middle of the list: past it, a scan would read thousands of rows."""
    middle = queries.page(where, order, PageRequest(limit=1, offset=BULK // 5))
    return Keyset(position(middle.items[0], order), Direction.NEXT)


@pytest.mark.parametrize("direction", list(Direction))
@pytest.mark.parametrize("order", list(TaskOrder))
@pytest.mark.parametrize("where", FILTERS, ids=["all", "status", "type"])
def test_a_cursor_page_reads_a_few_index_rows_not_the_table(
    bulk: Store, where: TaskFilter, order: TaskOrder, direction: Direction
) -> None:
    queries = SqlTaskQueries(bulk.reads)
    at = deep_keyset(queries, where, order)
    request = PageRequest(limit=LIMIT, count=False, keyset=Keyset(at.position, direction))
    with recording(bulk) as sent:
        page = queries.page(where, order, request)
    assert len(page.items) == LIMIT
    statement, parameters = sent[0]  # the rows; then the assignees' statistics
    with bulk.engine.connect() as connection:
        [[explained]] = connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters
        ).all()
    nodes = list(plan_nodes(explained[0]["Plan"]))
    on_tasks = [node for node in nodes if node.get("Relation Name") == "tasks"]
    assert on_tasks
    assert all(node["Node Type"] != "Seq Scan" for node in on_tasks), nodes
    read = sum(node["Actual Rows"] + node.get("Rows Removed by Filter", 0) for node in on_tasks)
    # Unfiltered and filtered-by-status pages are range scans of an index of their order;
    # a type filter under the deadline order has no index of its own and filters the
    # deadline index's rows, still reading from the position on.
    bound = 4 * request.fetch if where.type is None or not order.by_deadline else 10 * request.fetch
    assert read <= bound, nodes


def test_a_cursor_page_is_the_page_an_offset_would_give(bulk: Store) -> None:
    queries = SqlTaskQueries(bulk.reads)
    for order in TaskOrder:
        by_offset = queries.page(TaskFilter(), order, PageRequest(limit=2 * LIMIT, offset=100))
        first = by_offset.items[LIMIT - 1]
        after = Keyset(position(first, order), Direction.NEXT)
        by_cursor = queries.page(TaskFilter(), order, PageRequest(limit=LIMIT, keyset=after))
        assert by_cursor.items == by_offset.items[LIMIT:]
        last = by_offset.items[LIMIT]
        before = Keyset(position(last, order), Direction.PREVIOUS)
        back = queries.page(TaskFilter(), order, PageRequest(limit=LIMIT, keyset=before))
        assert back.items == by_offset.items[:LIMIT]


def test_cursor_pages_cost_what_offset_pages_cost(store: Store) -> None:
    people = [new_user(f"u{i}@example.com", now=later(i)) for i in range(6)]
    work = [new_task(people[0], f"t{i}", now=later(10 + i)) for i in range(6)]
    for task, person in zip(work, people, strict=True):
        task.assign(person.external_id, actor_id=people[0].external_id, now=later(20))
    store.save(*people, *work)
    tasks, users = SqlTaskQueries(store.reads), SqlUserQueries(store.reads)
    tasks.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(1))  # warm up
    first_task = tasks.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(2)).items[-1]
    first_user = users.page(UserFilter(), PageRequest(2)).items[-1]
    task_at = Keyset(position(first_task, TaskOrder.CREATED_AT), Direction.NEXT)
    user_at = Keyset(Position(first_user.created_at, first_user.external_id), Direction.NEXT)

    with counting_statements(store.engine) as task_statements:
        page = tasks.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(2, keyset=task_at))
    with counting_statements(store.engine) as user_statements:
        people_page = users.page(UserFilter(), PageRequest(2, keyset=user_at))
    assert [t.name for t in page.items] == ["t2", "t3"]
    assert all(task.assigned_to is not None for task in page.items)
    assert len(people_page.items) == 2
    assert (len(task_statements), len(user_statements)) == (1, 1)  # the count rides along
    assert (page.count, people_page.count) == (6, 6)
    with counting_statements(store.engine) as uncounted:
        tasks.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(2, count=False, keyset=task_at))
    assert len(uncounted) == 1
    assert "page_total" not in uncounted[0]
