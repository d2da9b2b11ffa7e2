"""The lock two schedulers share, so that one at a time queues the periodic jobs: whoever
takes it releases it, however it stops, and nobody releases a lock that is not theirs."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest
from redis import Redis

from entrypoints.scheduler import SCHEDULER_LOCK_MS, PeriodicScheduler
from entrypoints.settings import Settings

LOCK = PeriodicScheduler.scheduler_lock_key


@pytest.fixture
def settings(redis_url: str) -> Settings:
    return Settings.from_env({"DATABASE_URL": "postgresql://db/app", "REDIS_URL": redis_url})


@pytest.fixture
def own_signal_handlers() -> Iterator[None]:
    """The scheduler installs its SIGTERM and SIGINT handlers in this process; put ours back."""
    kept = {number: signal.getsignal(number) for number in (signal.SIGTERM, signal.SIGINT)}
    yield
    for number, handler in kept.items():
        signal.signal(number, handler)


class _StoppedWhileLocking(Redis):  # type: ignore[type-arg]
    """A connection on which SIGTERM's handler runs while the request for the lock is in
    flight: Redis has granted the lock, the scheduler has not yet heard so."""

    def set(self, name: Any, *args: Any, **kwargs: Any) -> Any:
        granted = super().set(name, *args, **kwargs)
        if name == LOCK:
            handler = signal.getsignal(signal.SIGTERM)
            assert callable(handler)
            handler(signal.SIGTERM, None)
        return granted


@pytest.mark.usefixtures("own_signal_handlers")
def test_a_scheduler_stopped_while_taking_the_lock_leaves_it_free(
    settings: Settings, redis_url: str, redis: Redis[bytes]
) -> None:
    scheduler = PeriodicScheduler(_StoppedWhileLocking.from_url(redis_url), settings)
    with pytest.raises(SystemExit):
        scheduler.run()
    assert not redis.exists(LOCK), "the other schedulers would wait for the lock to run out"


def test_a_scheduler_never_releases_the_lock_another_one_holds(
    settings: Settings, redis: Redis[bytes]
) -> None:
    slow, standby, third = (PeriodicScheduler(redis, settings) for _ in range(3))
    assert slow.acquire_lock()
    assert not standby.acquire_lock()
    redis.delete(LOCK)  # the slow one's lock ran out while it was still queueing
    assert standby.acquire_lock()
    slow.remove_lock()
    assert not third.acquire_lock(), "the slow scheduler released the standby's lock"
    standby.remove_lock()
    assert third.acquire_lock()


def test_the_lock_of_a_scheduler_that_died_holding_it_runs_out_within_a_second(
    settings: Settings, redis: Redis[bytes]
) -> None:
    dead, standby = PeriodicScheduler(redis, settings), PeriodicScheduler(redis, settings)
    assert dead.acquire_lock()  # and never removes it: killed outright
    assert 0 < redis.pttl(LOCK) <= SCHEDULER_LOCK_MS <= 1000
    started = time.monotonic()
    while not standby.acquire_lock():
        # Redis expires the key on its own clock: a few milliseconds either side of the lock's
        # life, never the ten seconds rq-scheduler's own lock would hold.
        waited = time.monotonic() - started
        assert waited < SCHEDULER_LOCK_MS / 1000 + 0.25, f"still locked after {waited:.2f} s"
        time.sleep(0.01)
