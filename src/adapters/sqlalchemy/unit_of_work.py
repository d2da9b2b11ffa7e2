"""The unit of work: one connection, one transaction, every change written at commit."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from adapters.sqlalchemy.enclosing import UnitTransaction
from adapters.sqlalchemy.logins import SqlLoginStore
from adapters.sqlalchemy.tasks import SqlTaskRepository
from adapters.sqlalchemy.tokens import SqlRefreshTokenStore
from adapters.sqlalchemy.users import SqlUserRepository
from adapters.sqlalchemy.webhooks import SqlDeliveries, SqlWebhookEndpoints


class SqlAlchemyUnitOfWork:
    """``with uow: ...; uow.commit()``; leaving the block without commit rolls back.

    Each ``with`` opens a fresh transaction and fresh repositories, so one instance can be
    entered again and again (not nested). Repositories only read and remember; ``commit``
    writes users, then tasks and their events (history and outbox), then logins and refresh
    tokens, then webhook endpoints, and commits. Deliveries are written as they change.
    """

    tasks: SqlTaskRepository
    users: SqlUserRepository
    refresh_tokens: SqlRefreshTokenStore
    logins: SqlLoginStore
    webhooks: SqlWebhookEndpoints
    deliveries: SqlDeliveries

    def __init__(self, transactions: Callable[[], UnitTransaction]) -> None:
        self._transactions = transactions
        self._transaction: UnitTransaction | None = None

    def __enter__(self) -> Self:
        if self._transaction is not None:
            raise RuntimeError("this unit of work is already open")
        transaction = self._transactions()
        self._transaction = transaction
        connection = transaction.connection
        self.users = SqlUserRepository(connection)
        self.tasks = SqlTaskRepository(connection)
        self.refresh_tokens = SqlRefreshTokenStore(connection)
        self.logins = SqlLoginStore(connection)
        self.webhooks = SqlWebhookEndpoints(connection)
        self.deliveries = SqlDeliveries(connection)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        transaction = self._require_open()
        self._transaction = None
        transaction.close()

    def commit(self) -> None:
        transaction = self._require_open()
        try:
            self.users.flush()
            self.tasks.flush()
            self.logins.flush()
            self.refresh_tokens.flush()
            self.webhooks.flush()
            transaction.commit()
        except BaseException:
            transaction.rollback()
            raise

    def _require_open(self) -> UnitTransaction:
        if self._transaction is None:
            raise RuntimeError("the unit of work is not open: use `with uow:`")
        return self._transaction
