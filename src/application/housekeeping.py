"""Forgetting what no longer means anything, so that no table grows with every login (or every
keyed request) forever."""

from __future__ import annotations

from dataclasses import dataclass

from application.idempotency import ExpiringAnswers
from application.ports import Clock, LoginThrottle, UnitOfWork


@dataclass(frozen=True, slots=True)
class Pruned:
    refresh_tokens: int
    logins: int
    login_attempts: int
    idempotency_keys: int


class PruneExpiredRecords:
    """Deletes refresh tokens past their expiry, the logins left with none (all their tokens
    have expired, so nothing refers to them), and login attempts older than the throttle
    remembers, and the Idempotency-Keys past their time. Idempotent and safe at any time:
    nothing it deletes could still be used."""

    def __init__(
        self, uow: UnitOfWork, throttle: LoginThrottle, answers: ExpiringAnswers, clock: Clock
    ) -> None:
        self._uow = uow
        self._throttle = throttle
        self._answers = answers
        self._clock = clock

    def __call__(self) -> Pruned:
        now = self._clock.now()
        with self._uow:
            tokens = self._uow.refresh_tokens.prune_expired(now)
            logins = self._uow.logins.prune_finished()
            self._uow.commit()
        return Pruned(
            refresh_tokens=tokens,
            logins=logins,
            login_attempts=self._throttle.prune(now),
            idempotency_keys=self._answers.prune(now),
        )
