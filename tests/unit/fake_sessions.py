"""Fakes of the session stores: logins, and the refresh tokens each login rotates through.
Both keep a committed state and a working copy, like the repositories in ``fakes``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.ports import RefreshOutcome, Spending, TokenClaims
from domain.user import User


class _Open(Protocol):
    def require_open(self) -> None: ...


class _Users(Protocol):
    def get(self, user_id: UUID, *, for_update: bool = False) -> User | None: ...


@dataclass(frozen=True, slots=True)
class _Login:
    user_id: UUID
    ended_at: datetime | None = None


class FakeLoginStore:
    def __init__(self, transaction: _Open, users: _Users) -> None:
        self._transaction = transaction
        self._users = users
        self._committed: dict[str, _Login] = {}
        self._logins: dict[str, _Login] = {}
        #: How many times user_of was asked: the real store answers each in one statement.
        self.lookups = 0
        self._has_tokens: Callable[[str], bool] = lambda login_id: False

    def start(self, login_id: str, user_id: UUID, now: datetime) -> None:
        self._transaction.require_open()
        self._logins[login_id] = _Login(user_id)

    def user_of(self, login_id: str, user_id: UUID) -> User | None:
        self._transaction.require_open()
        self.lookups += 1
        login = self._logins.get(login_id)
        if login is None or login.ended_at is not None or login.user_id != user_id:
            return None
        return self._users.get(user_id)

    def end(self, login_id: str, now: datetime) -> None:
        self._transaction.require_open()
        login = self._logins.get(login_id)
        if login is not None and login.ended_at is None:
            self._logins[login_id] = replace(login, ended_at=now)

    def prune_finished(self) -> int:
        self._transaction.require_open()
        finished = [key for key in self._logins if not self._has_tokens(key)]
        for key in finished:
            del self._logins[key]
        return len(finished)

    def attach(self, has_tokens: Callable[[str], bool]) -> None:
        """The refresh-token store tells which logins still have tokens (it holds them)."""
        self._has_tokens = has_tokens

    def is_live(self, login_id: str) -> bool:
        return login_id in self._logins and self._logins[login_id].ended_at is None

    def ended(self) -> set[str]:
        return {key for key, login in self._committed.items() if login.ended_at is not None}

    def _write(self) -> None:
        self._committed = dict(self._logins)

    def _discard(self) -> None:
        self._logins = dict(self._committed)


@dataclass(frozen=True, slots=True)
class _RefreshRecord:
    claims: TokenClaims
    spent_at: datetime | None = None


class FakeRefreshTokenStore:
    def __init__(self, transaction: _Open, logins: FakeLoginStore) -> None:
        self._transaction = transaction
        self._logins = logins
        self._committed: dict[str, _RefreshRecord] = {}
        self._tokens: dict[str, _RefreshRecord] = {}
        logins.attach(self._holds_tokens_of)

    def add(self, claims: TokenClaims) -> None:
        self._transaction.require_open()
        self._tokens[claims.token_id] = _RefreshRecord(claims)

    def spend(self, token_id: str, now: datetime) -> Spending:
        self._transaction.require_open()
        record = self._tokens.get(token_id)
        if record is None:
            return Spending(RefreshOutcome.UNKNOWN)
        if not self._logins.is_live(record.claims.family):
            return Spending(RefreshOutcome.ENDED)
        if record.spent_at is not None:
            return Spending(RefreshOutcome.SPENT, first_used_at=record.spent_at)
        self._tokens[token_id] = replace(record, spent_at=now)
        return Spending(RefreshOutcome.FRESH)

    def prune_expired(self, now: datetime) -> int:
        self._transaction.require_open()
        expired = [key for key, r in self._tokens.items() if r.claims.expires_at < now]
        for key in expired:
            del self._tokens[key]
        return len(expired)

    def _holds_tokens_of(self, login_id: str) -> bool:
        return any(record.claims.family == login_id for record in self._tokens.values())

    def is_spent(self, token_id: str) -> bool:
        record = self._committed.get(token_id)
        return record is not None and record.spent_at is not None

    def _write(self) -> None:
        self._committed = dict(self._tokens)

    def _discard(self) -> None:
        self._tokens = dict(self._committed)
