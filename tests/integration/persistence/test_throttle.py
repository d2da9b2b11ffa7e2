"""Login throttling in the database: slows guessing, never locks the owner out for long."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.tables import login_attempts
from adapters.sqlalchemy.throttle import SqlLoginThrottle
from persistence.support import T0, Store, later

EMAIL = "ann@example.com"


def _fail(throttle: SqlLoginThrottle, times: int, at: float = 0) -> None:
    for _ in range(times):
        throttle.failed(EMAIL, later(at))


def test_four_failures_cost_nothing_the_fifth_a_second(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _fail(throttle, 4)
    assert throttle.retry_after(EMAIL, T0) == 0
    _fail(throttle, 1)
    assert throttle.retry_after(EMAIL, T0) == 1
    assert throttle.retry_after(EMAIL, later(0.4)) == 1  # rounded up, never down to zero early
    assert throttle.retry_after(EMAIL, later(1)) == 0


def test_the_delay_doubles_per_further_failure_up_to_thirty_seconds(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _fail(throttle, 4)
    delays = []
    for _ in range(8):
        _fail(throttle, 1)
        delays.append(throttle.retry_after(EMAIL, T0))
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]


def test_the_wait_counts_from_the_last_failure(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _fail(throttle, 6, at=100)  # 2 s
    assert throttle.retry_after(EMAIL, later(100.5)) == 2
    assert throttle.retry_after(EMAIL, later(101.2)) == 1
    assert throttle.retry_after(EMAIL, later(102)) == 0


def test_a_success_clears_the_count(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _fail(throttle, 7)
    throttle.succeeded(EMAIL)
    assert throttle.retry_after(EMAIL, T0) == 0
    _fail(throttle, 4)
    assert throttle.retry_after(EMAIL, T0) == 0
    assert store.rows(login_attempts)[0]["failures"] == 4


def test_failures_fifteen_minutes_apart_start_the_count_again(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _fail(throttle, 4)
    _fail(throttle, 1, at=15 * 60)
    assert throttle.retry_after(EMAIL, later(15 * 60)) == 0
    assert store.rows(login_attempts)[0]["failures"] == 1


def test_other_addresses_are_not_slowed(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _fail(throttle, 9)
    assert throttle.retry_after("bob@example.com", T0) == 0


def test_the_numbers_are_settings(store: Store) -> None:
    throttle = SqlLoginThrottle(
        store.engine,
        free_failures=2,
        window=timedelta(seconds=10),
        base_delay_seconds=3,
        max_delay_seconds=5,
    )
    _fail(throttle, 2)
    assert throttle.retry_after(EMAIL, T0) == 3
    _fail(throttle, 1)
    assert throttle.retry_after(EMAIL, T0) == 5
    assert throttle.retry_after(EMAIL, later(10)) == 0  # outside the window


def test_every_process_sees_the_same_count_and_none_is_lost(store: Store) -> None:
    other_process = make_engine(store.engine.url.render_as_string(hide_password=False))
    throttles = [SqlLoginThrottle(store.engine), SqlLoginThrottle(other_process)]
    start = threading.Barrier(8)

    def fail(i: int) -> None:
        start.wait()
        throttles[i % 2].failed(EMAIL, T0)

    try:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(fail, range(8)))
        assert store.rows(login_attempts)[0]["failures"] == 8
        assert throttles[1].retry_after(EMAIL, T0) == 8
    finally:
        other_process.dispose()
