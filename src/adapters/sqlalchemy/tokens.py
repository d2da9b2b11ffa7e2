"""Issued refresh tokens, each good for exactly one use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, insert, select, update
from sqlalchemy.orm import Session

from adapters.sqlalchemy.tables import refresh_tokens
from application.ports import RefreshOutcome, TokenClaims

_T = refresh_tokens.c


class SqlRefreshTokenStore:
    def __init__(self, session: Session) -> None:
        self._session = session
        # Written at commit, after the user they belong to (who may be new in this unit).
        self._new: list[dict[str, Any]] = []

    def add(self, claims: TokenClaims) -> None:
        if claims.family is None:
            raise ValueError("a refresh token must belong to a family")
        self._new.append(
            {
                "token_id": claims.token_id,
                "family": claims.family,
                "user_id": claims.user_id,
                "expires_at": claims.expires_at,
                "used_at": None,
                "revoked_at": None,
            }
        )

    def spend(self, token_id: str, now: datetime) -> RefreshOutcome:
        # A conditional UPDATE is the atomic step: of concurrent spends, one changes the row
        # and the others (after waiting for its lock) find it used and change nothing.
        spent = self._session.execute(
            update(refresh_tokens)
            .where(_T.token_id == token_id, _T.used_at.is_(None), _T.revoked_at.is_(None))
            .values(used_at=now)
        )
        assert isinstance(spent, CursorResult)
        if spent.rowcount == 1:
            return RefreshOutcome.FRESH
        known = self._session.execute(select(_T.token_id).where(_T.token_id == token_id)).first()
        return RefreshOutcome.REPLAYED if known else RefreshOutcome.UNKNOWN

    def revoke_family(self, family: str, now: datetime) -> None:
        for row in self._new:
            if row["family"] == family:
                row["revoked_at"] = now
        self._session.execute(
            update(refresh_tokens)
            .where(_T.family == family, _T.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    def flush(self) -> None:
        if self._new:
            self._session.execute(insert(refresh_tokens), self._new)
            self._new = []
