"""In one unit of work, a row already handed out as an aggregate is that aggregate: a later
lookup returns it (as it is now, not as stored), so no change made to it is lost."""

from __future__ import annotations

import pytest

from adapters.sqlalchemy.tables import tasks, users
from domain.user import Email, User
from persistence.support import Store, later, new_task, new_user


@pytest.fixture
def ann(store: Store) -> User:
    ann = new_user("ann@example.com")
    store.save(ann)
    return ann


def test_a_lookup_by_the_old_address_after_an_email_change_finds_nobody_and_the_change_holds(
    store: Store, ann: User
) -> None:
    with store.uow() as uow:
        user = uow.users.get(ann.external_id, for_update=True)
        assert user is not None
        user.change_email(Email("anne@example.com"), now=later(1))
        assert uow.users.get_by_email(Email("ann@example.com")) is None
        assert uow.users.get_by_email(Email("anne@example.com")) is user
        uow.commit()

    [row] = store.rows(users, users.c.external_id == ann.external_id)
    assert row["email"] == "anne@example.com"


def test_a_lookup_by_email_of_a_user_already_handed_out_returns_that_same_user(
    store: Store, ann: User
) -> None:
    with store.uow() as uow:
        user = uow.users.get(ann.external_id, for_update=True)
        assert user is not None
        user.rename("Anne", now=later(1))
        assert uow.users.get_by_email(Email("ann@example.com")) is user
        uow.commit()

    [row] = store.rows(users, users.c.external_id == ann.external_id)
    assert row["name"] == "Anne"


def test_a_user_deleted_in_the_unit_is_not_found_by_email(store: Store, ann: User) -> None:
    with store.uow() as uow:
        user = uow.users.get(ann.external_id, for_update=True)
        assert user is not None
        user.delete(now=later(1))
        assert uow.users.get_by_email(Email("ann@example.com")) is None


def test_open_tasks_of_a_user_are_those_open_and_theirs_as_the_unit_left_them(
    store: Store,
) -> None:
    boss, worker = new_user("boss@example.com"), new_user("worker@example.com")
    moved, kept, taken = new_task(boss, "moved"), new_task(boss, "kept"), new_task(boss, "taken")
    for task in (moved, kept):
        task.assign(worker.external_id, actor_id=boss.external_id, now=later(1))
    store.save(boss, worker, moved, kept, taken)

    with store.uow() as uow:
        reassigned = uow.tasks.get(moved.external_id, for_update=True)
        renamed = uow.tasks.get(kept.external_id, for_update=True)
        newly_theirs = uow.tasks.get(taken.external_id, for_update=True)
        assert reassigned is not None
        assert renamed is not None
        assert newly_theirs is not None
        reassigned.assign(boss.external_id, actor_id=boss.external_id, now=later(2))
        renamed.edit(actor_id=boss.external_id, now=later(2), name="kept, renamed")
        newly_theirs.assign(worker.external_id, actor_id=boss.external_id, now=later(2))

        found = uow.tasks.open_tasks_assigned_to(worker.external_id)

        assert {id(task) for task in found} == {id(renamed), id(newly_theirs)}
        uow.commit()

    assignees = {row["name"]: row["assigned_to"] for row in store.rows(tasks)}
    assert assignees == {
        "moved": boss.external_id,
        "kept, renamed": worker.external_id,
        "taken": worker.external_id,
    }


def test_a_task_read_among_a_users_open_tasks_is_the_one_a_later_get_returns(
    store: Store,
) -> None:
    boss = new_user("boss@example.com")
    task = new_task(boss)
    task.assign(boss.external_id, actor_id=boss.external_id, now=later(1))
    store.save(boss, task)

    with store.uow() as uow:
        [open_task] = uow.tasks.open_tasks_assigned_to(boss.external_id)
        assert uow.tasks.get(task.external_id, for_update=True) is open_task


def test_changing_an_aggregate_then_asking_for_its_lock_is_refused_not_silently_undone(
    store: Store, ann: User
) -> None:
    with store.uow() as uow:
        user = uow.users.get(ann.external_id)
        assert user is not None
        user.rename("Anne", now=later(1))
        with pytest.raises(RuntimeError, match="lock first"):
            uow.users.get(ann.external_id, for_update=True)
