"""Who calls: the one statement every authenticated request costs, on a plain connection.

No unit of work (no ORM session, no domain user built): the statement is built once, and
only the two values a request's authorization needs come back."""

from __future__ import annotations

from typing import Final
from uuid import UUID

from sqlalchemy import bindparam, select

from adapters.sqlalchemy.enclosing import Connects
from adapters.sqlalchemy.prepared import prepared
from adapters.sqlalchemy.tables import logins, users
from application.ports import Caller

_U, _L = users.c, logins.c
#: The user, if live, joined to the login the token names, if it has not ended.
CALLER: Final = prepared(
    select(_U.token_version, _U.is_admin)
    .join(logins, _L.user_id == _U.external_id)
    .where(
        _U.external_id == bindparam("user_id"),
        _U.deleted_at.is_(None),
        _L.id == bindparam("login_id"),
        _L.ended_at.is_(None),
    )
)


class SqlCallers:
    def __init__(self, database: Connects) -> None:
        self._database = database

    def caller(self, login_id: str, user_id: UUID) -> Caller | None:
        rows = self._database.fetch(CALLER, {"user_id": user_id, "login_id": login_id})
        if not rows:
            return None
        return Caller(token_version=rows[0]["token_version"], is_admin=rows[0]["is_admin"])
