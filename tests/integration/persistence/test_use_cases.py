"""The application's use cases, unchanged, on the real adapters: each change leaves exactly
one event of its kind, in the same transaction."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import pytest

from adapters.clock import SystemClock
from adapters.passwords import BcryptPasswordHasher
from adapters.sqlalchemy.read import SqlCallers, SqlTaskQueries, SqlUserQueries
from adapters.sqlalchemy.tables import logins, users
from adapters.sqlalchemy.throttle import SqlLoginThrottle
from adapters.tokens import JwtTokenService
from application import auth, tasks
from application.errors import Unauthenticated
from application.policy import Actor
from application.users import DeleteUser, RegisterUser
from domain.errors import EmailAlreadyUsed, TaskExpired
from domain.status import TaskStatus, TaskType
from domain.user import User
from integration.api.support import MovableClock
from persistence.support import FixedClock, Store, later, new_user

HOME = "192.0.2.1"


@pytest.fixture
def people(store: Store) -> tuple[User, User]:
    boss, worker = new_user("boss@example.com", "Boss"), new_user("worker@example.com", "Wes")
    store.save(boss, worker)
    return boss, worker


@dataclass
class TaskUseCases:
    create: tasks.CreateTask
    update: tasks.UpdateTask
    assign: tasks.AssignTask
    start: tasks.StartTask
    complete: tasks.CompleteTask
    delete: tasks.DeleteTask


def _task_use_cases(store: Store, clock: FixedClock) -> TaskUseCases:
    views = SqlTaskQueries(store.reads)
    return TaskUseCases(
        create=tasks.CreateTask(store.uow(), clock, views),
        update=tasks.UpdateTask(store.uow(), clock, views),
        assign=tasks.AssignTask(store.uow(), clock, views),
        start=tasks.StartTask(store.uow(), clock, views),
        complete=tasks.CompleteTask(store.uow(), clock, views),
        delete=tasks.DeleteTask(store.uow(), clock),
    )


def test_a_task_goes_from_creation_to_completion(store: Store, people: tuple[User, User]) -> None:
    boss, worker = (Actor(p.external_id) for p in people)
    clock = FixedClock(later(1))
    use = _task_use_cases(store, clock)

    created = use.create(boss, name="Ship", type=TaskType.URGENT, deadline=later(600))
    task_id = created.external_id
    clock.current = later(2)
    use.update(boss, task_id, description="All of it")
    clock.current = later(3)
    use.assign(boss, task_id, worker.user_id)
    clock.current = later(4)
    use.start(worker, task_id)
    clock.current = later(5)
    done = use.complete(worker, task_id)

    assert (done.status, done.completed_at, done.updated_at) == (
        TaskStatus.COMPLETED,
        later(5),
        later(5),
    )
    assert done.assigned_to is not None
    assert done.assigned_to.stats.completed == 1
    events = store.events_of(task_id)
    assert [(e["type"], e["actor_id"], e["at"]) for e in events] == [
        ("created", boss.user_id, later(1)),
        ("edited", boss.user_id, later(2)),
        ("assigned", boss.user_id, later(3)),
        ("started", worker.user_id, later(4)),
        ("completed", worker.user_id, later(5)),
    ]


def test_completing_an_overdue_task_fails_it_and_keeps_the_failure(
    store: Store, people: tuple[User, User]
) -> None:
    boss, worker = (Actor(p.external_id) for p in people)
    clock = FixedClock(later(1))
    use = _task_use_cases(store, clock)
    task_id = use.create(boss, name="Late", deadline=later(60)).external_id
    use.assign(boss, task_id, worker.user_id)

    clock.current = later(61)
    with pytest.raises(TaskExpired):
        use.complete(worker, task_id)

    view = SqlTaskQueries(store.reads).get(task_id)
    assert view is not None
    assert view.status is TaskStatus.FAILED
    assert view.completed_at is None
    last = store.events_of(task_id)[-1]
    assert (last["type"], last["actor_id"], last["from_status"]) == ("expired", None, "pending")


def test_deleting_a_task_leaves_a_deleted_event_and_hides_it(
    store: Store, people: tuple[User, User]
) -> None:
    boss = Actor(people[0].external_id)
    clock = FixedClock(later(1))
    task_id = _task_use_cases(store, clock).create(boss, name="Drop me").external_id

    _task_use_cases(store, clock).delete(boss, task_id)

    assert SqlTaskQueries(store.reads).get(task_id) is None
    assert [e["type"] for e in store.events_of(task_id)] == ["created", "deleted"]


def test_deleting_a_user_releases_their_open_work_only(
    store: Store, people: tuple[User, User]
) -> None:
    boss, worker = people
    admin = Actor(boss.external_id, is_admin=True)
    clock = FixedClock(later(1))
    use = _task_use_cases(store, clock)
    open_id, done_id = (use.create(admin, name=n).external_id for n in ("a", "b"))
    for task_id in (open_id, done_id):
        use.assign(admin, task_id, worker.external_id)
    use.complete(Actor(worker.external_id), done_id)

    DeleteUser(store.uow(), clock)(admin, worker.external_id)

    task_views = SqlTaskQueries(store.reads)
    released, kept = task_views.get(open_id), task_views.get(done_id)
    assert released is not None
    assert kept is not None
    assert (released.status, released.assigned_to) == (TaskStatus.UNASSIGNED, None)
    assert kept.assigned_to is not None
    assert kept.assigned_to.external_id == worker.external_id
    last = store.events_of(open_id)[-1]
    assert (last["type"], last["actor_id"]) == ("unassigned", boss.external_id)
    assert [e["type"] for e in store.events_of(done_id)][-1] == "completed"
    [row] = store.rows(users, users.c.external_id == worker.external_id)
    assert row["deleted_at"] == later(1)
    assert row["token_version"] == 1
    assert SqlUserQueries(store.reads).get(worker.external_id) is None


@dataclass
class AuthKit:
    register: RegisterUser
    log_in: auth.LogIn
    refresh: auth.RefreshTokens
    authenticate: auth.Authenticate
    log_out: auth.LogOut
    clock: MovableClock


@pytest.fixture
def auth_kit(store: Store) -> AuthKit:
    clock = MovableClock()  # tokens are checked against the real time
    hasher = BcryptPasswordHasher(rounds=4)
    token_service = JwtTokenService("s" * 40, access_ttl_seconds=60, refresh_ttl_seconds=600)
    issuer = auth.TokenIssuer(token_service, clock)
    user_views = SqlUserQueries(store.reads)
    return AuthKit(
        register=RegisterUser(store.uow(), clock, hasher, user_views, issuer),
        log_in=auth.LogIn(store.uow(), hasher, issuer, SqlLoginThrottle(store.engine), clock),
        refresh=auth.RefreshTokens(store.uow(), token_service, issuer, clock),
        authenticate=auth.Authenticate(SqlCallers(store.reads), token_service),
        log_out=auth.LogOut(store.uow(), token_service, clock),
        clock=clock,
    )


def test_register_log_in_and_rotate_refresh_tokens(store: Store, auth_kit: AuthKit) -> None:
    register, log_in, refresh = auth_kit.register, auth_kit.log_in, auth_kit.refresh
    first = register(
        email="New@Example.com", name="New", password="secret-pw", password2="secret-pw"
    )
    second = log_in("new@example.com", "secret-pw", HOME).tokens
    rotated = refresh(second.refresh)

    assert auth_kit.authenticate(rotated.access).is_admin is False
    with pytest.raises(Unauthenticated):
        refresh(second.refresh)  # a race lost within the grace...
    auth_kit.authenticate(rotated.access)  # ...ends nothing
    auth_kit.clock.advance(auth.REUSE_GRACE + timedelta(seconds=1))
    with pytest.raises(Unauthenticated):
        refresh(second.refresh)  # a replay...
    with pytest.raises(Unauthenticated):
        refresh(rotated.refresh)  # ...ended the whole login
    with pytest.raises(Unauthenticated):
        auth_kit.authenticate(rotated.access)
    assert refresh(first.refresh).refresh  # another login lives
    with pytest.raises(Unauthenticated):
        log_in("new@example.com", "wrong-pw", HOME)


def test_logging_out_ends_the_login_on_the_store(store: Store, auth_kit: AuthKit) -> None:
    pair = auth_kit.register(
        email="new@example.com", name="New", password="secret-pw", password2="secret-pw"
    )
    auth_kit.log_out(pair.access)
    with pytest.raises(Unauthenticated):
        auth_kit.authenticate(pair.access)
    with pytest.raises(Unauthenticated):
        auth_kit.refresh(pair.refresh)
    [login] = store.rows(logins)
    assert login["ended_at"] is not None


def test_two_racing_sign_ups_with_one_address_cannot_both_win(store: Store) -> None:
    clock = SystemClock()
    token_service = JwtTokenService("s" * 40, access_ttl_seconds=60, refresh_ttl_seconds=600)
    start = threading.Barrier(2)

    def sign_up(name: str) -> str:
        register = RegisterUser(
            store.uow(),
            clock,
            BcryptPasswordHasher(rounds=4),
            SqlUserQueries(store.reads),
            auth.TokenIssuer(token_service, clock),
        )
        start.wait()
        try:
            register(
                email="same@example.com", name=name, password="pw-123456", password2="pw-123456"
            )
        except EmailAlreadyUsed:
            return "refused"
        return "registered"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(sign_up, ["One", "Two"]))

    assert outcomes == ["refused", "registered"]
    assert len(store.rows(users, users.c.email == "same@example.com")) == 1
