"""PruneExpiredRecords: what can no longer be used is forgotten; nothing usable is."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import Unauthenticated
from unit.harness import HOME, PASSWORD, Core

EMAIL = "ada@example.com"
REFRESH_TTL = timedelta(days=3)


@pytest.fixture
def ada(core: Core) -> Core:
    core.user("Ada", email=EMAIL)
    return core


def test_a_login_whose_refresh_tokens_all_expired_is_forgotten(ada: Core) -> None:
    ada.log_in(EMAIL, PASSWORD)
    ada.clock.advance(REFRESH_TTL + timedelta(seconds=1))

    pruned = ada.prune_expired_records()

    assert (pruned.refresh_tokens, pruned.logins) == (1, 1)
    assert ada.prune_expired_records().logins == 0  # nothing left the second time


def test_a_login_that_can_still_refresh_is_kept_and_keeps_working(ada: Core) -> None:
    old = ada.log_in(EMAIL, PASSWORD)
    ada.clock.advance(REFRESH_TTL - timedelta(hours=1))
    fresh = ada.refresh_tokens(old.refresh)  # a new refresh token: 3 days from now

    ada.clock.advance(timedelta(hours=2))  # the first refresh token has expired meanwhile
    pruned = ada.prune_expired_records()

    assert (pruned.refresh_tokens, pruned.logins) == (1, 0)
    assert ada.authenticate(ada.refresh_tokens(fresh.refresh).access)


def test_an_expired_refresh_token_stays_refused_once_forgotten(ada: Core) -> None:
    pair = ada.log_in(EMAIL, PASSWORD)
    ada.clock.advance(REFRESH_TTL + timedelta(seconds=1))
    ada.prune_expired_records()

    with pytest.raises(Unauthenticated):
        ada.refresh_tokens(pair.refresh)


def test_login_attempts_are_forgotten_once_they_slow_nobody_down(ada: Core) -> None:
    with pytest.raises(Unauthenticated):
        ada.log_in(EMAIL, "not the password", HOME)
    assert ada.prune_expired_records().login_attempts == 0  # still counting

    ada.clock.advance(ada.throttle.lockout + timedelta(seconds=1))

    assert ada.prune_expired_records().login_attempts == 2  # the address, and the pair
    assert ada.throttle.attempts == {}
