"""Is each backing service answering, and are the worker and the scheduler beating? For the
probes of :mod:`entrypoints.http.views.health`: quick, and never raising."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Final

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from entrypoints.heartbeat import ROLES, fresh_beats

log = logging.getLogger(__name__)

#: A health check must answer quickly even when a dependency hangs instead of refusing.
PROBE_TIMEOUT_SECONDS: Final = 2.0
OK: Final = "ok"
DOWN: Final = "down"
#: No fresh heartbeat of that role anywhere.
MISSING: Final = "missing"
#: Redis, which holds the heartbeats, does not answer.
UNKNOWN: Final = "unknown"
_probes = ThreadPoolExecutor(max_workers=2, thread_name_prefix="healthz")


def database_answers(engine: Engine) -> bool:
    def ping() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        _probes.submit(ping).result(timeout=PROBE_TIMEOUT_SECONDS)
    except (SQLAlchemyError, OSError, FutureTimeout) as error:
        log.warning("health: database does not answer: %s", error.__class__.__name__)
        return False
    return True


def redis_answers(redis: Redis[bytes]) -> bool:
    # The client has its own short connect and read timeouts (see the container).
    try:
        return bool(redis.ping())
    except (RedisError, OSError) as error:
        log.warning("health: redis does not answer: %s", error.__class__.__name__)
        return False


def heartbeat_states(redis: Redis[bytes], redis_up: bool) -> dict[str, str]:
    """``ok`` or ``missing`` for each role; ``unknown`` while Redis is away."""
    if not redis_up:
        return dict.fromkeys(ROLES, UNKNOWN)
    try:
        return {role: OK if fresh_beats(redis, role) else MISSING for role in ROLES}
    except (RedisError, OSError) as error:
        log.warning("health: heartbeats unreadable: %s", error.__class__.__name__)
        return dict.fromkeys(ROLES, UNKNOWN)
