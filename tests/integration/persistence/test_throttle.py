"""Login throttling in the database: slows guessing, never locks the owner out for long, and
checks and counts each attempt in one atomic step."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.tables import login_attempts
from adapters.sqlalchemy.throttle import (
    ADDRESS_FREE_FAILURES,
    FREE_FAILURES,
    PER_ACCOUNT,
    Limit,
    SqlLoginThrottle,
)
from persistence.support import T0, Store, later

ACCOUNT, ADDRESS = "ann@example.com", "192.0.2.1"


def _attempt(throttle: SqlLoginThrottle, times: int, at: float = 0, **who: str) -> list[int]:
    account, address = who.get("account", ACCOUNT), who.get("address", ADDRESS)
    return [throttle.admit(account, address, later(at)).wait_seconds for _ in range(times)]


def test_five_attempts_go_ahead_the_sixth_waits_a_second(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    assert _attempt(throttle, FREE_FAILURES) == [0] * FREE_FAILURES
    assert throttle.admit(ACCOUNT, ADDRESS, T0).wait_seconds == 1
    assert (
        throttle.admit(ACCOUNT, ADDRESS, later(0.4)).wait_seconds == 1
    )  # rounded up, never down to zero
    assert throttle.admit(ACCOUNT, ADDRESS, later(1)).wait_seconds == 0


def test_a_refused_attempt_is_not_counted(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _attempt(throttle, FREE_FAILURES + 3)
    rows = store.rows(login_attempts)
    assert sorted(row["attempts"] for row in rows) == [FREE_FAILURES, FREE_FAILURES]


def test_the_delay_doubles_per_further_attempt_up_to_thirty_seconds(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _attempt(throttle, FREE_FAILURES)
    at, delays = 0.0, []
    for _ in range(8):
        delays.append(throttle.admit(ACCOUNT, ADDRESS, later(at)).wait_seconds)
        at += delays[-1]
        assert throttle.admit(ACCOUNT, ADDRESS, later(at)).wait_seconds == 0
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]


def test_the_wait_counts_from_the_last_attempt(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _attempt(throttle, FREE_FAILURES, at=100)
    assert (
        throttle.admit(ACCOUNT, ADDRESS, later(101)).wait_seconds == 0
    )  # the sixth, a second later
    assert throttle.admit(ACCOUNT, ADDRESS, later(101.5)).wait_seconds == 2
    assert throttle.admit(ACCOUNT, ADDRESS, later(102.2)).wait_seconds == 1
    assert throttle.admit(ACCOUNT, ADDRESS, later(103)).wait_seconds == 0


def test_a_success_clears_the_pair_and_gives_the_address_its_attempt_back(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _attempt(throttle, 7)
    throttle.succeeded(ACCOUNT, ADDRESS)
    assert [row["attempts"] for row in store.rows(login_attempts)] == [FREE_FAILURES - 1]
    assert _attempt(throttle, FREE_FAILURES) == [0] * FREE_FAILURES


def test_attempts_fifteen_minutes_apart_start_the_count_again(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _attempt(throttle, FREE_FAILURES)
    assert throttle.admit(ACCOUNT, ADDRESS, later(15 * 60)).wait_seconds == 0
    assert {row["attempts"] for row in store.rows(login_attempts)} == {1}


def test_other_addresses_trying_the_account_are_not_slowed(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    _attempt(throttle, 9, address="203.0.113.9")
    assert throttle.admit(ACCOUNT, ADDRESS, T0).wait_seconds == 0


def test_one_address_trying_many_accounts_is_slowed(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    for n in range(ADDRESS_FREE_FAILURES):
        assert throttle.admit(f"victim{n}@example.com", ADDRESS, T0).wait_seconds == 0
    assert throttle.admit("another@example.com", ADDRESS, T0).wait_seconds == 1
    assert throttle.admit("another@example.com", "198.51.100.7", T0).wait_seconds == 0


def test_keys_fit_whatever_was_typed(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    for account in ("a" * 10_000, "\ud800@example.com", "nul\x00@example.com"):
        assert throttle.admit(account, "\udfff" + "x" * 1000, T0).wait_seconds == 0
    assert {len(row["key"]) for row in store.rows(login_attempts)} == {64}


def test_the_numbers_are_settings(store: Store) -> None:
    limit = Limit("account", free=2, window=timedelta(seconds=10), base_seconds=3, cap_seconds=5)
    throttle = SqlLoginThrottle(store.engine, per_account=limit)
    assert _attempt(throttle, 3) == [0, 0, 3]
    assert throttle.admit(ACCOUNT, ADDRESS, later(3)).wait_seconds == 0
    assert throttle.admit(ACCOUNT, ADDRESS, later(3)).wait_seconds == 5
    assert throttle.admit(ACCOUNT, ADDRESS, later(13)).wait_seconds == 0  # outside the window


def test_parallel_attempts_in_every_process_get_no_more_than_the_free_ones(store: Store) -> None:
    other_process = make_engine(store.engine.url.render_as_string(hide_password=False))
    throttles = [SqlLoginThrottle(store.engine), SqlLoginThrottle(other_process)]
    start = threading.Barrier(8)

    def attempt(i: int) -> int:
        start.wait()
        return throttles[i % 2].admit(ACCOUNT, ADDRESS, T0).wait_seconds

    try:
        with ThreadPoolExecutor(8) as pool:
            waits = list(pool.map(attempt, range(8)))
        assert waits.count(0) == FREE_FAILURES
        assert {row["attempts"] for row in store.rows(login_attempts)} == {FREE_FAILURES}
    finally:
        other_process.dispose()


def test_each_attempt_reports_what_is_left_of_both_quotas(store: Store) -> None:
    throttle = SqlLoginThrottle(store.engine)
    window = int(PER_ACCOUNT.window.total_seconds())
    left = []
    for n in range(FREE_FAILURES):
        admission = throttle.admit(ACCOUNT, ADDRESS, later(n))
        assert [q.policy for q in admission.quotas] == ["address", "account"]
        left.append([q.remaining for q in admission.quotas])
        assert {q.reset_seconds for q in admission.quotas} == {window}
    assert left == [[ADDRESS_FREE_FAILURES - n, FREE_FAILURES - n] for n in range(1, 6)]

    refused = throttle.admit(ACCOUNT, ADDRESS, later(FREE_FAILURES - 0.5))
    assert refused.wait_seconds > 0
    by_account = refused.quotas[-1]
    assert (by_account.policy, by_account.limit, by_account.remaining) == ("account", 5, 0)
    assert by_account.reset_seconds == window  # the window runs from the last counted one
