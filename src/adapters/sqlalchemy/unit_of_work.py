"""The unit of work: one session, one transaction, every change written at commit."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session

from adapters.sqlalchemy.logins import SqlLoginStore
from adapters.sqlalchemy.tasks import SqlTaskRepository
from adapters.sqlalchemy.tokens import SqlRefreshTokenStore
from adapters.sqlalchemy.users import SqlUserRepository
from adapters.sqlalchemy.webhooks import SqlDeliveries, SqlWebhookEndpoints


class SqlAlchemyUnitOfWork:
    """``with uow: ...; uow.commit()``; leaving the block without commit rolls back.

    Each ``with`` opens a fresh session and fresh repositories, so one instance can be
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

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    def __enter__(self) -> Self:
        if self._session is not None:
            raise RuntimeError("this unit of work is already open")
        session = self._session_factory()
        self._session = session
        self.users = SqlUserRepository(session)
        self.tasks = SqlTaskRepository(session)
        self.refresh_tokens = SqlRefreshTokenStore(session)
        self.logins = SqlLoginStore(session)
        self.webhooks = SqlWebhookEndpoints(session)
        self.deliveries = SqlDeliveries(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self._require_session()
        self._session = None
        try:
            session.rollback()
        finally:
            session.close()

    def commit(self) -> None:
        session = self._require_session()
        try:
            self.users.flush()
            self.tasks.flush()
            self.logins.flush()
            self.refresh_tokens.flush()
            self.webhooks.flush()
            session.commit()
        except BaseException:
            session.rollback()
            raise

    def _require_session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use `with uow:`")
        return self._session
