"""The application's use cases, unchanged, on the real adapters: each change leaves exactly
one event of its kind, in the same transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest

from adapters.clock import SystemClock
from adapters.passwords import BcryptPasswordHasher
from adapters.sqlalchemy.queries import SqlTaskQueries, SqlUserQueries
from adapters.sqlalchemy.tables import users
from adapters.sqlalchemy.throttle import SqlLoginThrottle
from adapters.tokens import JwtTokenService
from application import auth, tasks
from application.errors import Unauthenticated
from application.policy import Actor
from application.users import DeleteUser, RegisterUser
from domain.errors import EmailAlreadyUsed, TaskExpired
from domain.task import TaskStatus, TaskType
from domain.user import User
from persistence.support import FixedClock, Store, later, new_user


@pytest.fixture
def people(store: Store) -> tuple[User, User]:
    boss, worker = new_user("boss@example.com", "Boss"), new_user("worker@example.com", "Wes")
    store.save(boss, worker)
    return boss, worker


def _use(store: Store, clock: FixedClock) -> Callable[[type], object]:
    def build(use_case: type) -> object:
        return use_case(store.uow(), clock, SqlTaskQueries(store.engine))

    return build


def test_a_task_goes_from_creation_to_completion(store: Store, people: tuple[User, User]) -> None:
    boss, worker = (Actor(p.external_id) for p in people)
    clock = FixedClock(later(1))
    use = _use(store, clock)

    created = use(tasks.CreateTask)(boss, name="Ship", type=TaskType.URGENT, deadline=later(600))  # type: ignore[operator]
    task_id = created.external_id
    clock.current = later(2)
    use(tasks.UpdateTask)(boss, task_id, description="All of it")  # type: ignore[operator]
    clock.current = later(3)
    use(tasks.AssignTask)(boss, task_id, worker.user_id)  # type: ignore[operator]
    clock.current = later(4)
    use(tasks.StartTask)(worker, task_id)  # type: ignore[operator]
    clock.current = later(5)
    done = use(tasks.CompleteTask)(worker, task_id)  # type: ignore[operator]

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
    use = _use(store, clock)
    task_id = use(tasks.CreateTask)(boss, name="Late", deadline=later(60)).external_id  # type: ignore[operator]
    use(tasks.AssignTask)(boss, task_id, worker.user_id)  # type: ignore[operator]

    clock.current = later(61)
    with pytest.raises(TaskExpired):
        use(tasks.CompleteTask)(worker, task_id)  # type: ignore[operator]

    view = SqlTaskQueries(store.engine).get(task_id)
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
    task_id = _use(store, clock)(tasks.CreateTask)(boss, name="Drop me").external_id  # type: ignore[operator]

    tasks.DeleteTask(store.uow(), clock)(boss, task_id)

    assert SqlTaskQueries(store.engine).get(task_id) is None
    assert [e["type"] for e in store.events_of(task_id)] == ["created", "deleted"]


def test_deleting_a_user_releases_their_open_work_only(
    store: Store, people: tuple[User, User]
) -> None:
    boss, worker = people
    admin = Actor(boss.external_id, is_admin=True)
    clock = FixedClock(later(1))
    use = _use(store, clock)
    open_id, done_id = (use(tasks.CreateTask)(admin, name=n).external_id for n in ("a", "b"))  # type: ignore[operator]
    for task_id in (open_id, done_id):
        use(tasks.AssignTask)(admin, task_id, worker.external_id)  # type: ignore[operator]
    use(tasks.CompleteTask)(Actor(worker.external_id), done_id)  # type: ignore[operator]

    DeleteUser(store.uow(), clock)(admin, worker.external_id)

    task_views = SqlTaskQueries(store.engine)
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
    assert SqlUserQueries(store.engine).get(worker.external_id) is None


@pytest.fixture
def auth_kit(store: Store) -> dict[str, object]:
    clock = SystemClock()  # tokens are checked against the real time
    hasher = BcryptPasswordHasher(rounds=4)
    token_service = JwtTokenService("s" * 40, access_ttl_seconds=60, refresh_ttl_seconds=600)
    issuer = auth.TokenIssuer(token_service, clock)
    user_views = SqlUserQueries(store.engine)
    return {
        "register": RegisterUser(store.uow(), clock, hasher, user_views, issuer),
        "log_in": auth.LogIn(store.uow(), hasher, issuer, SqlLoginThrottle(store.engine), clock),
        "refresh": auth.RefreshTokens(store.uow(), token_service, issuer, clock),
        "authenticate": auth.Authenticate(store.uow(), token_service),
    }


def test_register_log_in_and_rotate_refresh_tokens(
    store: Store, auth_kit: dict[str, object]
) -> None:
    register, log_in, refresh, authenticate = (
        auth_kit[k] for k in ("register", "log_in", "refresh", "authenticate")
    )
    first = register(
        email="New@Example.com", name="New", password="secret-pw", password2="secret-pw"
    )  # type: ignore[operator]
    second = log_in("new@example.com", "secret-pw")  # type: ignore[operator]
    rotated = refresh(second.refresh)  # type: ignore[operator]

    assert authenticate(rotated.access).is_admin is False  # type: ignore[operator]
    with pytest.raises(Unauthenticated):
        refresh(second.refresh)  # type: ignore[operator]  # a replay...
    with pytest.raises(Unauthenticated):
        refresh(rotated.refresh)  # type: ignore[operator]  # ...revoked the whole family
    assert refresh(first.refresh).refresh  # type: ignore[operator]  # another login's family lives
    with pytest.raises(Unauthenticated):
        log_in("new@example.com", "wrong-pw")  # type: ignore[operator]


def test_two_racing_sign_ups_with_one_address_cannot_both_win(
    store: Store, auth_kit: dict[str, object]
) -> None:
    clock = SystemClock()
    token_service = JwtTokenService("s" * 40, access_ttl_seconds=60, refresh_ttl_seconds=600)
    start = threading.Barrier(2)

    def sign_up(name: str) -> str:
        register = RegisterUser(
            store.uow(),
            clock,
            BcryptPasswordHasher(rounds=4),
            SqlUserQueries(store.engine),
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
