"""Login throttling kept in the database, so every API process sees the same count and the API
keeps working when Redis is down.

After ``free_failures`` failures for one address, each less than ``window`` after the previous
one, the next attempt must wait ``base_delay`` seconds, doubling with every further failure up
to ``max_delay``. The cap matters as much as the doubling: guessing slows to one try per
``max_delay``, but the real owner is never locked out for long. A success clears the count.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Engine, case, delete, select
from sqlalchemy.dialects.postgresql import insert

from adapters.sqlalchemy.tables import login_attempts

_A = login_attempts.c


class SqlLoginThrottle:
    def __init__(
        self,
        engine: Engine,
        *,
        free_failures: int = 5,
        window: timedelta = timedelta(minutes=15),
        base_delay_seconds: float = 1.0,
        max_delay_seconds: float = 30.0,
    ) -> None:
        self._engine = engine
        self._free_failures = free_failures
        self._window = window
        self._base_delay = base_delay_seconds
        self._max_delay = max_delay_seconds

    def retry_after(self, email: str, now: datetime) -> int:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(_A.failures, _A.last_failure_at).where(_A.email == email)
            ).one_or_none()
        if row is None or row.failures < self._free_failures:
            return 0
        if now - row.last_failure_at >= self._window:
            return 0
        over = row.failures - self._free_failures
        delay = min(self._max_delay, self._base_delay * 2 ** min(over, 62))
        remaining: float = (row.last_failure_at + timedelta(seconds=delay) - now).total_seconds()
        return max(0, math.ceil(remaining))

    def failed(self, email: str, now: datetime) -> None:
        """Count a failure atomically (an upsert): concurrent failures all count."""
        fresh = insert(login_attempts).values(email=email, failures=1, last_failure_at=now)
        # A failure long after the previous one starts the count again.
        recent = login_attempts.c.last_failure_at > now - self._window
        counted = fresh.on_conflict_do_update(
            index_elements=[_A.email],
            set_={
                "failures": case((recent, _A.failures + 1), else_=1),
                "last_failure_at": fresh.excluded.last_failure_at,
            },
        )
        with self._engine.begin() as connection:
            connection.execute(counted)

    def succeeded(self, email: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(delete(login_attempts).where(_A.email == email))
