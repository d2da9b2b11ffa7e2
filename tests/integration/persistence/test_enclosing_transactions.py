"""An enclosing transaction on PostgreSQL: the units of work and reads opened inside it join
it, each unit of work through a savepoint of its own; only its commit makes anything durable
or visible to others. And the key locks of the kept answers, on two real connections."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from adapters.sqlalchemy.enclosing import EnclosingTransactions
from adapters.sqlalchemy.idempotency import SqlIdempotencyStore
from adapters.sqlalchemy.read import SqlUserQueries
from adapters.sqlalchemy.tables import users
from adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from domain.user import User
from persistence.support import Store, new_user


def _add(uow: SqlAlchemyUnitOfWork, user: User, *, commit: bool = True) -> None:
    with uow:
        uow.users.add(user)
        if commit:
            uow.commit()


@pytest.fixture
def transactions(engine: Engine) -> EnclosingTransactions:
    return EnclosingTransactions(engine)


def test_units_of_work_inside_commit_only_with_the_enclosing_transaction(
    transactions: EnclosingTransactions, store: Store
) -> None:
    kept, undone = new_user("kept@example.com"), new_user("undone@example.com")
    with transactions.enclosing() as connection:
        _add(SqlAlchemyUnitOfWork(transactions.unit), kept)
        _add(SqlAlchemyUnitOfWork(transactions.unit), undone, commit=False)
        # A read inside sees what the request wrote; nobody outside does yet.
        assert SqlUserQueries(transactions).get(kept.external_id) is not None
        assert store.rows(users) == []
        connection.commit()
    assert [row["email"] for row in store.rows(users)] == ["kept@example.com"]


def test_leaving_without_commit_undoes_every_unit_of_work_inside(
    transactions: EnclosingTransactions, store: Store
) -> None:
    with transactions.enclosing():
        _add(SqlAlchemyUnitOfWork(transactions.unit), new_user())
    assert store.rows(users) == []


def test_outside_one_each_unit_of_work_commits_on_its_own(
    transactions: EnclosingTransactions, store: Store
) -> None:
    _add(SqlAlchemyUnitOfWork(transactions.unit), new_user())
    assert len(store.rows(users)) == 1
    assert SqlUserQueries(transactions).get(store.rows(users)[0]["external_id"]) is not None


def test_one_enclosing_transaction_at_a_time(transactions: EnclosingTransactions) -> None:
    with transactions.enclosing(), pytest.raises(RuntimeError), transactions.enclosing():
        pass


def test_a_held_key_is_refused_at_once_elsewhere_and_free_once_released(
    transactions: EnclosingTransactions,
) -> None:
    caller = new_user().external_id
    first, second = SqlIdempotencyStore(transactions), SqlIdempotencyStore(transactions)
    with first:
        assert first.claim(caller, "k")
        other_thread = EnclosingTransactions(transactions.engine)  # another connection
        with SqlIdempotencyStore(other_thread) as elsewhere:
            assert not elsewhere.claim(caller, "k")
            assert elsewhere.claim(caller, "another key")
    with second:
        assert second.claim(caller, "k")
