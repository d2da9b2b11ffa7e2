"""The scheduler's periodic jobs, and the settings it refuses: rq-scheduler only counts whole
seconds."""

from __future__ import annotations

import pytest

from entrypoints.jobs import (
    dispatch_webhooks,
    expire_overdue_tasks,
    prune_expired_records,
    remind_deadlines,
)
from entrypoints.scheduler import (
    DISPATCH_JOB_ID,
    EXPIRY_JOB_ID,
    PRUNE_JOB_ID,
    REMIND_JOB_ID,
    expiry_interval,
    periodic_jobs,
)
from entrypoints.settings import ConfigurationError, Settings
from entrypoints.worker import served_queues


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


def test_the_periodic_jobs_are_the_sweeps_the_dispatcher_and_the_hourly_pruning() -> None:
    defaults = Settings.from_env({"DATABASE_URL": "postgresql://db/app", "REDIS_URL": "redis://"})
    jobs = {job.id: (job.func, job.interval) for job in periodic_jobs(defaults)}
    assert jobs == {
        EXPIRY_JOB_ID: (expire_overdue_tasks, 1),
        PRUNE_JOB_ID: (prune_expired_records, 3600),
        REMIND_JOB_ID: (remind_deadlines, 5),
        DISPATCH_JOB_ID: (dispatch_webhooks, 1),
    }


@pytest.mark.parametrize("name", ["reminder_interval_seconds", "webhook_dispatch_interval_seconds"])
def test_the_new_periodic_intervals_must_be_whole_seconds(name: str) -> None:
    with pytest.raises(ConfigurationError, match=name.upper()):
        periodic_jobs(settings(**{name: 0.5}))


@pytest.mark.parametrize("seconds", [0, 0.5, 90.5])
def test_a_pruning_interval_that_is_not_whole_seconds_is_refused(seconds: float) -> None:
    with pytest.raises(ConfigurationError, match="PRUNE_INTERVAL_SECONDS"):
        periodic_jobs(settings(prune_interval_seconds=seconds))


@pytest.mark.parametrize(
    ("named", "served"),
    [
        ((), ["sweeps", "webhooks"]),
        (("webhooks", "sweeps"), ["sweeps", "webhooks"]),
        (("webhooks",), ["webhooks"]),
        (("sweeps", "sweeps"), ["sweeps"]),
    ],
)
def test_a_worker_serves_the_queues_named_sweeps_first(
    named: tuple[str, ...], served: list[str]
) -> None:
    assert served_queues(named) == served
