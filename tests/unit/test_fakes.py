"""The fakes keep the promises of the ports they stand for, or the other tests prove nothing."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.ports import RefreshOutcome, Spending, TokenKind
from domain.errors import EmailAlreadyUsed
from domain.status import TaskEventType, TaskStatus
from domain.task import Task
from domain.user import Email, User
from unit.fakes import FakeUnitOfWork, FixedClock
from unit.harness import Core


def new_task(clock: FixedClock) -> Task:
    return Task.create(name="Write the report", created_by=uuid4(), now=clock.now())


def new_user(clock: FixedClock, email: str = "ada@example.com") -> User:
    return User.register(email=Email(email), name="Ada", password_hash="h", now=clock.now())


def save_user(uow: FakeUnitOfWork, user: User) -> None:
    with uow:
        uow.users.add(user)
        uow.commit()


def add_then_fail(uow: FakeUnitOfWork, task: Task) -> None:
    with uow:
        uow.tasks.add(task)
        raise LookupError("something went wrong before the commit")


def test_a_commit_keeps_new_aggregates_and_their_events() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    task = new_task(clock)
    with uow:
        uow.tasks.add(task)
        uow.commit()
    assert uow.tasks.saved(task.external_id) is not None
    assert [event.type for event in uow.history] == [TaskEventType.CREATED]


def test_leaving_without_commit_drops_new_aggregates_and_their_events() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    task = new_task(clock)
    with uow:
        uow.tasks.add(task)
    assert uow.tasks.saved(task.external_id) is None
    assert uow.history == []
    assert uow.commits == 0


def test_changes_to_a_loaded_aggregate_are_kept_only_when_committed(core: Core) -> None:
    creator, assignee = core.user(), core.user()
    task_id = core.task(creator)
    with core.uow:
        task = core.uow.tasks.get(task_id)
        assert task is not None
        task.assign(assignee.user_id, actor_id=creator.user_id, now=core.clock.now())
    assert core.saved_task(task_id).status is TaskStatus.UNASSIGNED
    with core.uow:
        again = core.uow.tasks.get(task_id)
        assert again is not None
        assert again.status is TaskStatus.UNASSIGNED
        again.assign(assignee.user_id, actor_id=creator.user_id, now=core.clock.now())
        core.uow.commit()
    assert core.saved_task(task_id).status is TaskStatus.PENDING
    assert [e.type for e in core.events(task_id)][-1] is TaskEventType.ASSIGNED


def test_an_error_inside_the_block_rolls_back() -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    task = new_task(clock)
    with pytest.raises(LookupError):
        add_then_fail(uow, task)
    assert uow.tasks.saved_all() == []


def test_repositories_refuse_work_outside_a_transaction() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(RuntimeError):
        uow.tasks.get(uuid4())
    with pytest.raises(RuntimeError):
        uow.commit()


def test_a_unit_of_work_is_not_re_entrant() -> None:
    uow = FakeUnitOfWork()
    with uow, pytest.raises(RuntimeError):
        uow.__enter__()


def test_deleted_aggregates_are_never_returned(core: Core) -> None:
    creator = core.user()
    task_id = core.task(creator)
    with core.uow:
        task = core.uow.tasks.get(task_id)
        assert task is not None
        task.delete(actor_id=creator.user_id, now=core.clock.now())
        core.uow.commit()
    with core.uow:
        assert core.uow.tasks.get(task_id) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [("ada@example.com", "ADA@example.com"), ("straße@example.com", "STRASSE@example.com")],
    ids=["ascii", "sharp s"],
)
def test_the_store_refuses_two_active_users_with_one_address_at_commit(
    first: str, second: str
) -> None:
    uow, clock = FakeUnitOfWork(), FixedClock()
    save_user(uow, new_user(clock, first))
    with pytest.raises(EmailAlreadyUsed) as refused:
        save_user(uow, new_user(clock, second))
    assert refused.value.email in {first, second}
    assert len(uow.users.saved_all()) == 1


def test_refresh_tokens_are_spent_once_and_only_when_committed(core: Core) -> None:
    now = core.clock.now()
    issued = core.tokens.issue(TokenKind.REFRESH, uuid4(), 0, now, "login")
    token_id = issued.claims.token_id
    with core.uow:
        core.uow.logins.start("login", issued.claims.user_id, now)
        core.uow.refresh_tokens.add(issued.claims)
        core.uow.commit()
    with core.uow:
        assert core.uow.refresh_tokens.spend(token_id, now).outcome is RefreshOutcome.FRESH
    assert not core.uow.refresh_tokens.is_spent(token_id)
    with core.uow:
        assert core.uow.refresh_tokens.spend(token_id, now).outcome is RefreshOutcome.FRESH
        assert core.uow.refresh_tokens.spend(token_id, now) == Spending(RefreshOutcome.SPENT, now)
        assert core.uow.refresh_tokens.spend("unknown", now).outcome is RefreshOutcome.UNKNOWN
        core.uow.commit()
    assert core.uow.refresh_tokens.is_spent(token_id)


def test_the_tokens_of_an_ended_login_are_never_fresh(core: Core) -> None:
    now = core.clock.now()
    issued = core.tokens.issue(TokenKind.REFRESH, uuid4(), 0, now, "login")
    with core.uow:
        core.uow.logins.start("login", issued.claims.user_id, now)
        core.uow.refresh_tokens.add(issued.claims)
        core.uow.logins.end("login", now)
        outcome = core.uow.refresh_tokens.spend(issued.claims.token_id, now).outcome
        assert outcome is RefreshOutcome.ENDED
        core.uow.commit()
    assert core.uow.logins.ended() == {"login"}


def test_the_clock_keeps_aware_utc_and_moves_only_when_told() -> None:
    clock = FixedClock()
    start = clock.now()
    assert clock.now() == start
    assert clock.advance(timedelta(minutes=5)) == start + timedelta(minutes=5)
    with pytest.raises(ValueError, match="aware"):
        clock.set(start.replace(tzinfo=None))
