"""Heartbeats of the worker and the scheduler: how a health check outside them knows they work.

Each process writes a Redis key of its own — role, host name and process id — with a short
time to live, from inside its main loop (so a process stuck in that loop stops beating too).
Redis rather than a file, because the check may run elsewhere (``/healthz`` reads every
heartbeat) as well as in the process's own container (``task-assigner health worker``, which
looks for one from its host: a container's host name is its own). A key that outlived its TTL
is gone, so a heartbeat that exists is fresh; a clean stop deletes it at once.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import Final, Literal

from redis import Redis

Role = Literal["worker", "scheduler"]
ROLES: Final[tuple[Role, ...]] = ("worker", "scheduler")
KEY_PREFIX: Final = "task-assigner:heartbeat"
#: How often a process beats, at most: its loop may come round far more often.
BEAT_EVERY_SECONDS: Final = 5.0
#: A process that missed this long (three beats and some) no longer counts as working.
TTL_SECONDS: Final = 20


def this_host() -> str:
    return socket.gethostname()


def _key(role: Role, host: str, pid: int | str) -> str:
    return f"{KEY_PREFIX}:{role}:{host}:{pid}"


class Heartbeat:
    """The heartbeat of this process in ``role``; call :meth:`beat` from its main loop."""

    def __init__(
        self,
        connection: Redis[bytes],
        role: Role,
        *,
        every: float = BEAT_EVERY_SECONDS,
        ttl: int = TTL_SECONDS,
    ) -> None:
        self.key = _key(role, this_host(), os.getpid())
        self._connection = connection
        self._every = every
        self._ttl = ttl
        self._last = float("-inf")

    def beat(self) -> None:
        now = time.monotonic()
        if now - self._last >= self._every:
            self._connection.set(self.key, str(time.time()), ex=self._ttl)
            self._last = now

    def stop(self) -> None:
        """A clean stop: no longer working, said at once rather than when the key expires."""
        self._connection.delete(self.key)
        self._last = float("-inf")


@dataclass(frozen=True, slots=True)
class Beat:
    host: str
    pid: str
    age_seconds: float


def fresh_beats(connection: Redis[bytes], role: Role, host: str | None = None) -> list[Beat]:
    """The fresh heartbeats of ``role``, from ``host`` only if given; the newest first."""
    keys = list(connection.scan_iter(match=_key(role, host or "*", "*"), count=1000))
    values = connection.mget(keys) if keys else []
    now = time.time()
    beats = []
    for key, value in zip(keys, values, strict=True):
        if value is not None:  # expired between the scan and the read
            found_host, pid = key.decode().rsplit(":", 2)[-2:]
            beats.append(Beat(found_host, pid, max(0.0, now - float(value))))
    return sorted(beats, key=lambda beat: beat.age_seconds)
