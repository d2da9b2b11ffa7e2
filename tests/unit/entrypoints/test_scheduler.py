"""Settings the scheduler refuses: rq-scheduler only counts whole seconds."""

from __future__ import annotations

import pytest

from entrypoints.scheduler import expiry_interval
from entrypoints.settings import ConfigurationError, Settings


def settings(**overrides: float) -> Settings:
    return Settings(
        database_url="postgresql://db/app", redis_url="redis://", jwt_secret="", **overrides
    )  # type: ignore[arg-type]


@pytest.mark.parametrize("seconds", [1, 1.0, 5])
def test_whole_seconds_are_accepted(seconds: float) -> None:
    assert expiry_interval(settings(expiry_interval_seconds=seconds)) == int(seconds)


@pytest.mark.parametrize("seconds", [0, 0.5, 1.5, -1])
def test_fractions_and_zero_are_refused_rather_than_truncated(seconds: float) -> None:
    # rq-scheduler would store int(0.5) == 0 and run the job once, never again.
    with pytest.raises(ConfigurationError, match="whole number of seconds"):
        expiry_interval(settings(expiry_interval_seconds=seconds))


def test_the_default_interval_is_valid_and_fast_enough_for_the_two_second_promise() -> None:
    defaults = Settings.from_env({"DATABASE_URL": "postgresql://db/app", "REDIS_URL": "redis://"})
    interval = expiry_interval(defaults)
    # Worst case before the sweep runs: a whole interval plus one poll of the scheduler.
    assert interval + defaults.scheduler_poll_seconds < 2
