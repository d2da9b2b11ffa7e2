"""Every aggregate comes back exactly as it was stored, every field filled in, on both
databases; the unit of work writes what it handed out and nothing when rolled back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError

from adapters.sqlalchemy.tables import logins, refresh_tokens, tasks, users
from application.ports import RefreshOutcome, Spending, TokenClaims, TokenKind
from domain.errors import EmailAlreadyUsed
from domain.status import TaskStatus, TaskType
from domain.user import Email
from persistence.support import T0, Store, later, new_task, new_user


def test_a_user_round_trips_with_every_field(store: Store) -> None:
    user = new_user("Ann.Lee@Example.com", "Ann Lee", is_admin=True)
    user.change_password("hash:new", now=later(5))  # token_version 1, updated_at moved on
    store.save(user)

    with store.uow() as uow:
        loaded = uow.users.get(user.external_id)

    assert loaded is not None
    assert loaded is not user
    assert vars(loaded) == vars(user)
    assert loaded.email == Email("ann.lee@example.com")
    assert loaded.token_version == 1
    assert loaded.version == 2  # registered, then one change
    assert loaded.is_admin is True
    assert loaded.updated_at == later(5)
    assert loaded.updated_at.tzinfo is UTC


def test_a_task_round_trips_with_every_field(store: Store) -> None:
    creator, worker = new_user("boss@example.com"), new_user("worker@example.com")
    task = new_task(creator, "Ship it", deadline=later(3600), type=TaskType.URGENT)
    task.edit(
        actor_id=creator.external_id,
        now=later(1),
        description="All of it",
        remind_before_seconds=900,
    )
    task.assign(worker.external_id, actor_id=creator.external_id, now=later(2))
    task.start(actor_id=worker.external_id, now=later(3))
    task.complete(actor_id=worker.external_id, now=later(4))
    store.save(creator, worker, task)

    with store.uow() as uow:
        loaded = uow.tasks.get(task.external_id)

    assert loaded is not None
    expected = vars(task) | {"_events": []}
    assert vars(loaded) == expected
    assert loaded.status is TaskStatus.COMPLETED
    assert loaded.version == 5  # created, edited, assigned, started, completed
    assert loaded.completed_at == later(4)
    assert loaded.deadline == later(3600)
    assert loaded.deadline.tzinfo is UTC


def test_a_deleted_task_keeps_its_row_and_is_never_handed_out(store: Store) -> None:
    creator = new_user()
    task = new_task(creator)
    task.delete(actor_id=creator.external_id, now=later(9))
    store.save(creator, task)

    with store.uow() as uow:
        assert uow.tasks.get(task.external_id) is None
    [row] = store.rows(tasks, tasks.c.external_id == task.external_id)
    assert row["deleted_at"] == later(9)


def test_timestamps_in_other_zones_are_stored_as_the_same_instant_in_utc(store: Store) -> None:
    plus_five = timezone(timedelta(hours=5, minutes=30))
    creator = new_user()
    local_deadline = datetime(2031, 3, 5, 18, 0, 0, 1, tzinfo=plus_five)
    task = new_task(creator, deadline=local_deadline)
    store.save(creator, task)

    with store.uow() as uow:
        loaded = uow.tasks.get(task.external_id)

    assert loaded is not None
    assert loaded.deadline is not None
    assert loaded.deadline == local_deadline
    assert loaded.deadline.utcoffset() == timedelta(0)
    assert loaded.deadline.isoformat() == "2031-03-05T12:30:00.000001+00:00"


def test_commit_writes_the_changes_made_to_what_the_repositories_handed_out(store: Store) -> None:
    creator, worker = new_user("boss@example.com"), new_user("worker@example.com")
    task = new_task(creator)
    store.save(creator, worker, task)

    with store.uow() as uow:
        loaded = uow.tasks.get(task.external_id, for_update=True)
        assert loaded is not None
        loaded.assign(worker.external_id, actor_id=creator.external_id, now=later(1))
        found = uow.users.get(worker.external_id)
        assert found is not None
        found.rename("Wendy", now=later(1))
        uow.commit()

    [task_row] = store.rows(tasks, tasks.c.external_id == task.external_id)
    assert task_row["status"] == "pending"
    assert task_row["assigned_to"] == worker.external_id
    assert task_row["version"] == task.version + 1
    [user_row] = store.rows(users, users.c.external_id == worker.external_id)
    assert user_row["name"] == "Wendy"
    assert user_row["updated_at"] == later(1)
    assert user_row["version"] == worker.version + 1


def test_leaving_without_commit_writes_nothing_not_even_events(store: Store) -> None:
    creator, worker = new_user("boss@example.com"), new_user("worker@example.com")
    task = new_task(creator)
    store.save(creator, worker, task)

    with store.uow() as uow:
        loaded = uow.tasks.get(task.external_id, for_update=True)
        assert loaded is not None
        loaded.assign(worker.external_id, actor_id=creator.external_id, now=later(1))
        uow.tasks.add(new_task(creator, "Never stored"))

    assert [e["type"] for e in store.events_of(task.external_id)] == ["created"]
    assert [row["name"] for row in store.rows(tasks)] == ["Write the report"]
    [row] = store.rows(tasks)
    assert row["status"] == "unassigned"


def test_an_exception_inside_the_block_rolls_back(store: Store) -> None:
    creator = new_user()

    def fail_half_way() -> None:
        with store.uow() as uow:
            uow.users.add(creator)
            uow.commit()
            uow.tasks.add(new_task(creator))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_half_way()

    assert len(store.rows(users)) == 1
    assert store.rows(tasks) == []


def test_one_unit_of_work_can_be_entered_again_and_again(store: Store) -> None:
    uow = store.uow()
    ann = new_user()
    with uow:
        uow.users.add(ann)
        uow.commit()
    with uow:
        assert uow.users.get(ann.external_id) is not None
    with uow:
        assert uow.users.get_by_email(Email("ANN@example.com")) is not None


def test_the_events_of_a_task_are_written_with_their_actor_and_changes(store: Store) -> None:
    creator, worker = new_user("boss@example.com"), new_user("worker@example.com")
    task = new_task(creator, deadline=later(60))
    task.edit(actor_id=creator.external_id, now=later(1), name="Renamed")
    task.assign(worker.external_id, actor_id=creator.external_id, now=later(2))
    store.save(creator, worker, task)

    events = store.events_of(task.external_id)

    assert [(e["type"], e["from_status"], e["to_status"]) for e in events] == [
        ("created", None, "unassigned"),
        ("edited", "unassigned", "unassigned"),
        ("assigned", "unassigned", "pending"),
    ]
    assert {e["actor_id"] for e in events} == {creator.external_id}
    assert events[1]["changes"] == {"name": {"old": "Write the report", "new": "Renamed"}}
    assert events[2]["changes"] == {"assigned_to": {"old": None, "new": str(worker.external_id)}}
    assert [e["at"] for e in events] == [T0, later(1), later(2)]


def test_a_second_active_user_with_the_same_address_is_refused_at_commit(store: Store) -> None:
    store.save(new_user("ann@example.com"))
    with store.uow() as uow:
        uow.users.add(new_user("ANN@example.com", "Another Ann"))
        with pytest.raises(EmailAlreadyUsed) as refused:
            uow.commit()
    assert refused.value.email == "ANN@example.com"
    assert len(store.rows(users)) == 1


def test_a_deleted_users_address_is_free_again(store: Store) -> None:
    first = new_user("ann@example.com")
    first.delete(now=later(1))
    store.save(first)
    store.save(new_user("ann@example.com", "New Ann"))

    with store.uow() as uow:
        found = uow.users.get_by_email(Email("ann@example.com"))
        assert uow.users.get(first.external_id) is None
    assert found is not None
    assert found.name == "New Ann"


def test_a_refresh_token_is_spent_once_then_told_spent(store: Store) -> None:
    ann = new_user()
    claims = TokenClaims(ann.external_id, TokenKind.REFRESH, "tok-1", 0, "fam-1", later(3600))
    with store.uow() as uow:
        uow.users.add(ann)  # the login and token are written after their (new) user
        uow.logins.start("fam-1", ann.external_id, later(0))
        uow.refresh_tokens.add(claims)
        uow.commit()

    with store.uow() as uow:
        assert uow.refresh_tokens.spend("tok-1", later(1)) == Spending(RefreshOutcome.FRESH)
        assert uow.refresh_tokens.spend("tok-1", later(2)) == Spending(
            RefreshOutcome.SPENT, first_used_at=later(1)
        )
        assert uow.refresh_tokens.spend("no-such", later(2)).outcome is RefreshOutcome.UNKNOWN
        uow.commit()

    [row] = store.rows(refresh_tokens)
    assert row == {
        "token_id": "tok-1",
        "family": "fam-1",
        "user_id": ann.external_id,
        "expires_at": later(3600),
        "used_at": later(1),
    }
    [login] = store.rows(logins)
    assert login == {
        "id": "fam-1",
        "user_id": ann.external_id,
        "created_at": later(0),
        "ended_at": None,
    }


def test_ending_a_login_kills_its_tokens_and_only_its_own(store: Store) -> None:
    ann = new_user()
    store.save(ann)
    with store.uow() as uow:
        for login in ("fam-1", "fam-2"):
            uow.logins.start(login, ann.external_id, later(0))
        for token_id, family in [("a", "fam-1"), ("b", "fam-1"), ("c", "fam-2")]:
            claims = TokenClaims(ann.external_id, TokenKind.REFRESH, token_id, 0, family, later(60))
            uow.refresh_tokens.add(claims)
        uow.commit()

    with store.uow() as uow:
        uow.logins.end("fam-1", later(5))
        uow.commit()

    with store.uow() as uow:
        outcomes = {t: uow.refresh_tokens.spend(t, later(6)).outcome for t in ("a", "b", "c")}
        assert uow.logins.user_of("fam-1", ann.external_id) is None
        found = uow.logins.user_of("fam-2", ann.external_id)
        assert found is not None
        assert found.external_id == ann.external_id
        assert uow.logins.user_of("fam-2", new_user("bo@example.com").external_id) is None
    assert outcomes == {
        "a": RefreshOutcome.ENDED,
        "b": RefreshOutcome.ENDED,
        "c": RefreshOutcome.FRESH,
    }


def test_open_tasks_of_a_user_are_the_pending_and_in_progress_ones(store: Store) -> None:
    boss, worker = new_user("boss@example.com"), new_user("worker@example.com")
    pending, started, done, other = (new_task(boss, f"t{i}") for i in range(4))
    for task in (pending, started, done):
        task.assign(worker.external_id, actor_id=boss.external_id, now=later(1))
    started.start(actor_id=worker.external_id, now=later(2))
    done.complete(actor_id=worker.external_id, now=later(2))
    store.save(boss, worker, pending, started, done, other)

    with store.uow() as uow:
        found = uow.tasks.open_tasks_assigned_to(worker.external_id)

    assert {t.external_id for t in found} == {pending.external_id, started.external_id}


def test_a_task_needs_a_stored_creator(store: Store) -> None:
    ghost = new_user("ghost@example.com")
    with store.uow() as uow:
        uow.tasks.add(new_task(ghost))
        with pytest.raises(IntegrityError):
            uow.commit()
    assert store.rows(tasks) == []
