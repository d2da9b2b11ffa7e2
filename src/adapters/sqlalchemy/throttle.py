"""Login throttling kept in the database, so every API process sees the same count and the API
keeps working when Redis is down.

Attempts are counted per client address and per (account, address). Under each key, after
``free`` attempts, each less than ``window`` after the previous one, the next must wait
``base_seconds`` after the last, doubling with every further attempt up to ``cap_seconds``. The
cap matters as much as the doubling: guessing slows to one try per cap, but nobody is locked
out for long. Counting per (account, address) rather than per account means failures from
elsewhere never lock the owner out; counting per address bounds how many accounts one client
can try. A success forgets the pair's attempts and gives the address its attempt back.

An attempt is counted before its password is checked, in the same atomic statement that
decides whether it may go ahead (an upsert whose update is conditional): parallel guesses
cannot all pass a check that none of them has counted yet.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import Connection, CursorResult, Engine, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert

from adapters.sqlalchemy.tables import login_attempts
from application.ports import Admission, Quota

_A = login_attempts.c

#: Attempts at one account from one address that are never slowed down.
FREE_FAILURES: Final = 5
#: Attempts from one address, at any accounts, that are never slowed down.
ADDRESS_FREE_FAILURES: Final = 30


@dataclass(frozen=True, slots=True)
class Limit:
    policy: str
    free: int
    window: timedelta = timedelta(minutes=15)
    base_seconds: float = 1.0
    cap_seconds: float = 30.0

    def quota(self, attempts: int, last_attempt_at: datetime, now: datetime) -> Quota:
        """What is left of the free attempts after ``attempts``, the last at the given time."""
        window = int(self.window.total_seconds())
        back_at = last_attempt_at + self.window
        return Quota(
            policy=self.policy,
            limit=self.free,
            window_seconds=window,
            remaining=max(0, self.free - attempts),
            reset_seconds=max(0, min(window, math.ceil((back_at - now).total_seconds()))),
        )

    def delay_seconds(self, attempts: int) -> float:
        """How long after the last of ``attempts`` (at least ``free``) the next one waits."""
        doubled: float = self.base_seconds * 2 ** min(attempts - self.free, 62)
        return min(self.cap_seconds, doubled)


PER_ACCOUNT: Final = Limit("account", free=FREE_FAILURES)
PER_ADDRESS: Final = Limit("address", free=ADDRESS_FREE_FAILURES)


class SqlLoginThrottle:
    def __init__(
        self, engine: Engine, per_account: Limit = PER_ACCOUNT, per_address: Limit = PER_ADDRESS
    ) -> None:
        self._engine = engine
        self._per_account = per_account
        self._per_address = per_address

    def admit(self, account: str, address: str, now: datetime) -> Admission:
        # One transaction: the address's row stays locked until the pair is decided, and an
        # attempt the pair refuses is not counted against the address either.
        with self._engine.connect() as connection, connection.begin() as transaction:
            wait, by_address = _admit(connection, _key("address", address), self._per_address, now)
            quotas = [by_address]
            if wait == 0:
                pair = _key("account", account, address)
                wait, by_account = _admit(connection, pair, self._per_account, now)
                quotas.append(by_account)
            if wait > 0:
                transaction.rollback()
        return Admission(wait, tuple(quotas))

    def succeeded(self, account: str, address: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                delete(login_attempts).where(_A.key == _key("account", account, address))
            )
            connection.execute(
                update(login_attempts)
                .where(_A.key == _key("address", address))
                .values(attempts=func.greatest(_A.attempts - 1, 0))
            )

    def prune(self, now: datetime) -> int:
        """Attempts older than the longest window count for nothing any more."""
        window = max(self._per_account.window, self._per_address.window)
        with self._engine.begin() as connection:
            pruned = connection.execute(
                delete(login_attempts).where(_A.last_attempt_at <= now - window)
            )
        assert isinstance(pruned, CursorResult)
        return int(pruned.rowcount)


def _key(*parts: str) -> str:
    """A fixed-size key for any text (JSON escapes even lone surrogates to ASCII)."""
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _admit(connection: Connection, key: str, limit: Limit, now: datetime) -> tuple[int, Quota]:
    """Count an attempt under ``key`` if ``limit`` lets it go ahead now (0), in one statement;
    otherwise the seconds to wait. With the quota as it stands after."""
    stale = _A.last_attempt_at <= now - limit.window
    doublings = func.least(_A.attempts - limit.free, 62)
    delay = func.least(limit.cap_seconds, limit.base_seconds * func.power(2, doublings))
    due = _A.last_attempt_at + func.make_interval(0, 0, 0, 0, 0, 0, delay)
    first = insert(login_attempts).values(key=key, attempts=1, last_attempt_at=now)
    counted = connection.execute(
        first.on_conflict_do_update(
            index_elements=[_A.key],
            set_={"attempts": case((stale, 1), else_=_A.attempts + 1), "last_attempt_at": now},
            where=or_(stale, _A.attempts < limit.free, due <= now),
        ).returning(_A.attempts)
    ).first()
    if counted is not None:
        return 0, limit.quota(counted.attempts, now, now)
    row = connection.execute(select(_A.attempts, _A.last_attempt_at).where(_A.key == key)).one()
    due_at: datetime = row.last_attempt_at + timedelta(seconds=limit.delay_seconds(row.attempts))
    # Refused: wait at least a second, whatever rounding says.
    wait = max(1, math.ceil((due_at - now).total_seconds()))
    return wait, limit.quota(row.attempts, row.last_attempt_at, now)
