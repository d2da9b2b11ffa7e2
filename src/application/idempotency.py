"""Answering a retried request once (the IETF draft "The Idempotency-Key HTTP Header Field").

A caller names a request with a key of its choosing. The first request with a key runs, and
its answer is kept with the key for a while; a retry with the same key and the same request
gets that answer again, without running anything. The answer is kept in the same transaction
as the request's effect, so the two exist together or not at all. The rules:

- a key is the caller's own: another caller's identical key is another key;
- a retry while the first request still runs is refused (:class:`RequestInFlight`, 409);
- the same key on a different request is refused (:class:`KeyReused`, 422);
- every answer below 500 is kept, refusals included; a server error keeps nothing and undoes
  the request's effect, so that the retry starts afresh;
- a key is forgotten ``ttl`` after its answer was kept; then it is new again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Final, Protocol, Self
from uuid import UUID

from application.errors import InvalidInput
from application.ports import Clock
from domain.errors import Conflict

#: The longest key a caller may send (the draft recommends a UUID, 36 characters).
KEY_MAX_LENGTH: Final = 255
#: The field the refusals name.
KEY_FIELD: Final = "Idempotency-Key"
#: Answers from this status on are never kept.
SERVER_ERROR: Final = 500


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer as sent: its status, the headers it had, its body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def worth_keeping(self) -> bool:
        """A server error is not: its retry must run again."""
        return self.status < SERVER_ERROR


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """A request named by ``caller``'s ``key``; ``fingerprint`` tells requests apart (what
    was asked of what, with which payload)."""

    caller: UUID
    key: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    fingerprint: str
    answer: Answer


class RequestInFlight(Conflict):
    """A request with this key is still running: retry when it has answered."""

    def __init__(self) -> None:
        super().__init__(
            f"A request with this {KEY_FIELD} is still being processed; retry once it has answered."
        )


class KeyReused(InvalidInput):
    """This key named another request: a key may name one request only."""

    def __init__(self) -> None:
        super().__init__({KEY_FIELD: ["Was already used for a different request; send a new key."]})


class IdempotencyStore(Protocol):
    """Kept answers, and the one transaction of a keyed request: everything the request does
    between ``__enter__`` and :meth:`commit` is part of it. Leaving without commit undoes it."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def claim(self, caller: UUID, key: str) -> bool:
        """Hold the key until the transaction ends; False, at once, if another holds it."""
        ...

    def find(self, caller: UUID, key: str, now: datetime) -> KeptAnswer | None:
        """The answer kept for the key, unless it has expired by ``now``."""
        ...

    def keep(self, request: KeyedRequest, answer: Answer, expires_at: datetime) -> None:
        """Keep ``answer`` for the request's key (replacing an expired one)."""
        ...

    def commit(self) -> None: ...


class ExpiringAnswers(Protocol):
    def prune(self, now: datetime) -> int:
        """Forget the keys that expired by ``now``; how many."""
        ...


class AnswerOnce:
    def __init__(self, store: IdempotencyStore, clock: Clock, ttl_seconds: int) -> None:
        self._store = store
        self._clock = clock
        self._ttl = timedelta(seconds=ttl_seconds)

    def __call__(self, request: KeyedRequest, run: Callable[[], Answer]) -> Answer:
        """The kept answer of ``request``'s key, or ``run()``'s, kept with the key."""
        with self._store as store:
            if not store.claim(request.caller, request.key):
                raise RequestInFlight()
            kept = store.find(request.caller, request.key, self._clock.now())
            if kept is not None:
                if kept.fingerprint != request.fingerprint:
                    raise KeyReused()
                return kept.answer
            answer = run()
            if answer.worth_keeping:
                store.keep(request, answer, expires_at=self._clock.now() + self._ttl)
                store.commit()
            return answer
