"""IDEMPOTENCY_TTL_SECONDS: a day unless set; a key must be kept for some time at least."""

from __future__ import annotations

import pytest

from entrypoints.settings import ConfigurationError, Settings

ENV = {"DATABASE_URL": "postgresql://db/app", "REDIS_URL": "redis://redis:6379/0"}


def test_keys_are_kept_for_a_day_by_default() -> None:
    assert Settings.from_env(ENV).idempotency_ttl_seconds == 24 * 3600


def test_the_time_keys_are_kept_can_be_set() -> None:
    env = {**ENV, "IDEMPOTENCY_TTL_SECONDS": "600"}
    assert Settings.from_env(env).idempotency_ttl_seconds == 600


@pytest.mark.parametrize("raw", ["0", "-5"])
def test_keys_kept_for_no_time_stop_the_service(raw: str) -> None:
    with pytest.raises(ConfigurationError, match="IDEMPOTENCY_TTL_SECONDS must be at least 1"):
        Settings.from_env({**ENV, "IDEMPOTENCY_TTL_SECONDS": raw})
