"""Kept answers on PostgreSQL, in the transaction of the request they answer.

Entering the store opens an enclosing transaction (:mod:`adapters.sqlalchemy.enclosing`): the
request's units of work and reads all join it, and the answer is written in it too, so one
commit makes both durable, and a crash before it leaves neither.

A key is held with a transaction-scoped advisory lock, taken without waiting: a second request
with the key gets ``False`` at once rather than queueing behind the first. The lock uses the
two-number form, whose keys never meet the single-number ones (the expiry sweep's). The lookup
is a statement of its own after the claim, never one with it: its snapshot is then taken once
the key is held, so it sees the answer of whichever request held the key before.
"""

from __future__ import annotations

import hashlib
from contextlib import ExitStack
from datetime import datetime
from types import TracebackType
from typing import Final, Self
from uuid import UUID

from sqlalchemy import Connection, delete, func, select, text
from sqlalchemy.dialects.postgresql import insert

from adapters.sqlalchemy.enclosing import EnclosingTransactions
from adapters.sqlalchemy.tables import idempotency_keys
from application.idempotency import Answer, KeptAnswer, KeyedRequest

_K = idempotency_keys.c
#: The first number of every key lock: idempotency keys' own space of advisory locks.
LOCK_SPACE: Final = 0x1DE4
_CLAIM: Final = text("SELECT pg_try_advisory_xact_lock(:space, :key)")


def lock_key(caller: UUID, key: str) -> int:
    """The second number of the key's lock. Two keys sharing one only ever cost a spurious
    409 while both are in flight at once."""
    digest = hashlib.sha256(f"{caller}\n{key}".encode()).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


class SqlIdempotencyStore:
    def __init__(self, transactions: EnclosingTransactions) -> None:
        self._transactions = transactions
        self._open: ExitStack | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> Self:
        if self._open is not None:
            raise RuntimeError("this store is already open")
        self._open = ExitStack()
        self._connection = self._open.enter_context(self._transactions.enclosing())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        opened, self._open, self._connection = self._open, None, None
        if opened is not None:
            opened.close()  # rolls back what was not committed

    def claim(self, caller: UUID, key: str) -> bool:
        lock = {"space": LOCK_SPACE, "key": lock_key(caller, key)}
        return bool(self._in_transaction().execute(_CLAIM, lock).scalar_one())

    def find(self, caller: UUID, key: str, now: datetime) -> KeptAnswer | None:
        row = (
            self._in_transaction()
            .execute(
                select(_K.fingerprint, _K.status, _K.headers, _K.body).where(
                    _K.caller == caller, _K.key == key, _K.expires_at > now
                )
            )
            .one_or_none()
        )
        if row is None:
            return None
        headers = tuple((str(name), str(value)) for name, value in row.headers)
        return KeptAnswer(row.fingerprint, Answer(row.status, headers, bytes(row.body)))

    def keep(self, request: KeyedRequest, answer: Answer, expires_at: datetime) -> None:
        values = {
            "fingerprint": request.fingerprint,
            "status": answer.status,
            "headers": [list(pair) for pair in answer.headers],
            "body": answer.body,
            "created_at": func.now(),
            "expires_at": expires_at,
        }
        statement = insert(idempotency_keys).values(
            caller=request.caller, key=request.key, **values
        )
        # The key is held, so the only row there can be is an expired one: replace it.
        statement = statement.on_conflict_do_update(index_elements=[_K.caller, _K.key], set_=values)
        self._in_transaction().execute(statement)

    def commit(self) -> None:
        self._in_transaction().commit()

    def prune(self, now: datetime) -> int:
        """Forget every key that expired by ``now``; how many. A transaction of its own."""
        with self._transactions.engine.begin() as connection:
            return connection.execute(delete(idempotency_keys).where(_K.expires_at <= now)).rowcount

    def _in_transaction(self) -> Connection:
        if self._connection is None:
            raise RuntimeError("the store is not open: use `with store:`")
        return self._connection
