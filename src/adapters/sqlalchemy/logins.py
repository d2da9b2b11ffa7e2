"""Logins (sessions), whose end ends every token they issued."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, CursorResult, delete, exists, insert, select, update

from adapters.sqlalchemy.mapping import row_to_user
from adapters.sqlalchemy.tables import logins, refresh_tokens, users
from domain.user import User

_L = logins.c


class SqlLoginStore:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        # Written at commit, after the user they belong to (who may be new in this unit).
        self._new: list[dict[str, Any]] = []

    def start(self, login_id: str, user_id: UUID, now: datetime) -> None:
        self._new.append({"id": login_id, "user_id": user_id, "created_at": now, "ended_at": None})

    def user_of(self, login_id: str, user_id: UUID) -> User | None:
        # One statement per authenticated request: the user, joined to a live login of theirs.
        query = (
            select(users)
            .join(logins, _L.user_id == users.c.external_id)
            .where(
                users.c.external_id == user_id,
                users.c.deleted_at.is_(None),
                _L.id == login_id,
                _L.ended_at.is_(None),
            )
        )
        row = self._connection.execute(query).mappings().one_or_none()
        return None if row is None else row_to_user(row)

    def end(self, login_id: str, now: datetime) -> None:
        for row in self._new:
            if row["id"] == login_id and row["ended_at"] is None:
                row["ended_at"] = now
        self._connection.execute(
            update(logins).where(_L.id == login_id, _L.ended_at.is_(None)).values(ended_at=now)
        )

    def prune_finished(self) -> int:
        has_tokens = exists().where(refresh_tokens.c.family == _L.id)
        pruned = self._connection.execute(delete(logins).where(~has_tokens))
        assert isinstance(pruned, CursorResult)
        return int(pruned.rowcount)

    def flush(self) -> None:
        if self._new:
            self._connection.execute(insert(logins), self._new)
            self._new = []
