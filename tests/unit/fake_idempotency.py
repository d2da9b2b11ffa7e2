"""A fake of the kept answers: a dict of committed keys, and the keys other requests hold.

Like a transaction, what a request keeps becomes visible only when it commits; leaving
without commit forgets it and lets the key go."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Self
from uuid import UUID

from application.idempotency import Answer, KeptAnswer, KeyedRequest

Key = tuple[UUID, str]


class FakeIdempotencyStore:
    def __init__(self) -> None:
        self.committed: dict[Key, tuple[KeptAnswer, datetime]] = {}
        #: Keys held by requests still running elsewhere (a test puts them here).
        self.held: set[Key] = set()
        self._claimed: set[Key] = set()
        self._pending: dict[Key, tuple[KeptAnswer, datetime]] = {}
        self.open = False

    def __enter__(self) -> Self:
        assert not self.open, "the store is already open"
        self.open = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.open = False
        self._claimed.clear()
        self._pending.clear()

    def claim(self, caller: UUID, key: str) -> bool:
        assert self.open
        if (caller, key) in self.held:
            return False
        self._claimed.add((caller, key))
        return True

    def find(self, caller: UUID, key: str, now: datetime) -> KeptAnswer | None:
        assert (caller, key) in self._claimed, "a key is read only once held"
        kept = self.committed.get((caller, key))
        return kept[0] if kept is not None and kept[1] > now else None

    def keep(self, request: KeyedRequest, answer: Answer, expires_at: datetime) -> None:
        key = (request.caller, request.key)
        assert key in self._claimed, "a key is kept only once held"
        self._pending[key] = (KeptAnswer(request.fingerprint, answer), expires_at)

    def commit(self) -> None:
        assert self.open
        self.committed.update(self._pending)
        self._pending.clear()

    def prune(self, now: datetime) -> int:
        expired = [key for key, (_, expires_at) in self.committed.items() if expires_at <= now]
        for key in expired:
            del self.committed[key]
        return len(expired)
