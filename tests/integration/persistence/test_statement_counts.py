"""A page costs one statement, whatever its size: never one per row, and its count rides along
with its rows (alone only when there are none); telling who calls costs one."""

from __future__ import annotations

import pytest

from adapters.clock import SystemClock
from adapters.passwords import BcryptPasswordHasher
from adapters.sqlalchemy.read import SqlCallers, SqlTaskQueries, SqlUserQueries
from adapters.tokens import JwtTokenService
from application.auth import Authenticate, TokenIssuer
from application.paging import PageRequest
from application.read_models import TaskFilter, TaskOrder, UserFilter
from application.users import RegisterUser
from persistence.support import Store, counting_statements, later, new_task, new_user

#: The rows with their assignees, the assignees' statistics and the count of the whole list.
MAX_STATEMENTS = 1


@pytest.fixture
def crowd(store: Store) -> Store:
    """60 users and 90 tasks, each of the first 60 assigned to a different user, so that a
    page of 30 tasks has 30 assignees whose statistics must all be fetched."""
    people = [new_user(f"user{i}@example.com", f"User {i}", now=later(i)) for i in range(60)]
    work = [new_task(people[0], f"task {i}", now=later(100 + i)) for i in range(90)]
    for task, person in zip(work, people, strict=False):
        task.assign(person.external_id, actor_id=people[0].external_id, now=later(200))
    for task in work[::3]:
        if task.assigned_to is not None:
            task.complete(actor_id=task.assigned_to, now=later(201))
    store.save(*people, *work)
    # Warm up: the first connection asks the server about itself, which is not per page.
    SqlTaskQueries(store.reads).page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(1))
    return store


@pytest.mark.parametrize("size", [1, 5, 30])
def test_a_page_of_tasks_with_assignees_and_statistics(crowd: Store, size: int) -> None:
    queries = SqlTaskQueries(crowd.reads)
    with counting_statements(crowd.engine) as statements:
        page = queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=size))

    assert len(page.items) == size
    assert all(task.assigned_to is not None for task in page.items)
    assert page.items[0].assigned_to is not None
    assert page.items[0].assigned_to.stats.completed == 1
    assert len(statements) <= MAX_STATEMENTS, statements


@pytest.mark.parametrize("size", [1, 5, 30])
def test_a_page_of_users_with_their_statistics(crowd: Store, size: int) -> None:
    queries = SqlUserQueries(crowd.reads)
    with counting_statements(crowd.engine) as statements:
        page = queries.page(UserFilter(), PageRequest(limit=size, offset=1))

    assert len(page.items) == size
    assert all(user.stats.assigned == 1 for user in page.items)
    assert len(statements) <= MAX_STATEMENTS, statements


def test_the_cost_does_not_grow_with_the_page(crowd: Store) -> None:
    tasks, users = SqlTaskQueries(crowd.reads), SqlUserQueries(crowd.reads)
    counts = []
    for size in (1, 30, 100):
        with counting_statements(crowd.engine) as task_statements:
            tasks.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=size))
        with counting_statements(crowd.engine) as user_statements:
            users.page(UserFilter(), PageRequest(limit=size))
        counts.append((len(task_statements), len(user_statements)))
    assert counts[0] == counts[1] == counts[2]


def test_one_task_then_one_user_cost_one_statement_each(crowd: Store) -> None:
    task_id = (
        SqlTaskQueries(crowd.reads)
        .page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(1))
        .items[0]
        .external_id
    )
    with counting_statements(crowd.engine) as statements:
        task = SqlTaskQueries(crowd.reads).get(task_id)
        assert task is not None
        assert task.assigned_to is not None
        user = SqlUserQueries(crowd.reads).get(task.assigned_to.external_id)
    assert user is not None
    assert len(statements) == 2  # the task with its assignee's statistics, then the user


def test_a_page_filtered_by_one_task_id_is_within_the_same_bound(crowd: Store) -> None:
    queries = SqlTaskQueries(crowd.reads)
    [first] = queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(1)).items
    with counting_statements(crowd.engine) as statements:
        page = queries.page(
            TaskFilter(external_id=first.external_id), TaskOrder.CREATED_AT, PageRequest()
        )
    assert page.count == 1
    assert len(statements) <= MAX_STATEMENTS, statements


@pytest.mark.parametrize("offset", [0, 60, 1000])
def test_a_page_without_rows_counts_alone_after_it(crowd: Store, offset: int) -> None:
    """No row carries the count: it is asked for on its own, and is still the list's."""
    queries = SqlTaskQueries(crowd.reads)
    nobody = TaskFilter(search="no task is called this")
    with counting_statements(crowd.engine) as statements:
        empty = queries.page(nobody, TaskOrder.CREATED_AT, PageRequest(limit=30, offset=offset))
        beyond = queries.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(offset=90 + offset))

    assert (empty.items, empty.count) == ([], 0)
    assert (beyond.items, beyond.count) == ([], 90)
    assert len(statements) == 4, statements


def test_a_page_counted_with_its_rows_counts_the_whole_list(crowd: Store) -> None:
    tasks, users = SqlTaskQueries(crowd.reads), SqlUserQueries(crowd.reads)
    last_tasks = tasks.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=30, offset=80))
    last_users = users.page(UserFilter(), PageRequest(limit=30, offset=50))
    uncounted = tasks.page(TaskFilter(), TaskOrder.CREATED_AT, PageRequest(limit=5, count=False))

    assert (len(last_tasks.items), last_tasks.count) == (10, 90)
    assert (len(last_users.items), last_users.count) == (10, 60)
    assert (len(uncounted.items), uncounted.count) == (5, None)


def test_authenticating_a_request_costs_one_statement(store: Store) -> None:
    """The user, their rights, their token version and whether the token's login has ended:
    all in the one statement every authenticated request pays."""
    tokens = JwtTokenService("s" * 40, access_ttl_seconds=60, refresh_ttl_seconds=600)
    clock, hasher = SystemClock(), BcryptPasswordHasher(rounds=4)
    register = RegisterUser(
        store.uow(), clock, hasher, SqlUserQueries(store.reads), TokenIssuer(tokens, clock)
    )
    pair = register(email="an@example.com", name="An", password="pw-secret", password2="pw-secret")
    authenticate = Authenticate(SqlCallers(store.reads), tokens)
    authenticate(pair.access)  # warm up: the first connection asks the server about itself

    with counting_statements(store.engine) as statements:
        actor = authenticate(pair.access)
    assert actor.is_admin is False
    assert len(statements) == 1, statements
