"""Issued refresh tokens, each good for exactly one use while its login lasts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, CursorResult, delete, exists, insert, select, update

from adapters.sqlalchemy.tables import logins, refresh_tokens
from application.ports import RefreshOutcome, Spending, TokenClaims

_T = refresh_tokens.c
_L = logins.c


class SqlRefreshTokenStore:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        # Written at commit, after the login they belong to (which may be new in this unit).
        self._new: list[dict[str, Any]] = []

    def add(self, claims: TokenClaims) -> None:
        self._new.append(
            {
                "token_id": claims.token_id,
                "family": claims.family,
                "user_id": claims.user_id,
                "expires_at": claims.expires_at,
                "used_at": None,
            }
        )

    def spend(self, token_id: str, now: datetime) -> Spending:
        # A conditional UPDATE is the atomic step: of concurrent spends, one changes the row
        # and the others (after waiting for its lock) find it used and change nothing.
        live_login = exists().where(_L.id == _T.family, _L.ended_at.is_(None))
        spent = self._connection.execute(
            update(refresh_tokens)
            .where(_T.token_id == token_id, _T.used_at.is_(None), live_login)
            .values(used_at=now)
        )
        assert isinstance(spent, CursorResult)
        if spent.rowcount == 1:
            return Spending(RefreshOutcome.FRESH)
        row = self._connection.execute(
            select(_T.used_at, _L.ended_at)
            .join(logins, _L.id == _T.family)
            .where(_T.token_id == token_id)
        ).one_or_none()
        if row is None:
            return Spending(RefreshOutcome.UNKNOWN)
        if row.ended_at is not None:
            return Spending(RefreshOutcome.ENDED)
        return Spending(RefreshOutcome.SPENT, first_used_at=row.used_at)

    def prune_expired(self, now: datetime) -> int:
        pruned = self._connection.execute(delete(refresh_tokens).where(_T.expires_at < now))
        assert isinstance(pruned, CursorResult)
        return int(pruned.rowcount)

    def flush(self) -> None:
        if self._new:
            self._connection.execute(insert(refresh_tokens), self._new)
            self._new = []
