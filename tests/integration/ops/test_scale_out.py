"""Two of each (API, worker, scheduler) on one PostgreSQL and one Redis, under load, with
deadlines falling due; one of each is stopped half-way, and nothing changes for the users."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from redis import Redis
from sqlalchemy import Engine

from domain.status import TaskStatus
from entrypoints.devrun.processes import free_port
from integration.ops.fates import p99, settle
from integration.ops.load import Load, serve, sign_up
from integration.ops.support import Start, expiry_job_is_scheduled, wait_until, worker_is_listening

PROMISED_LAG_SECONDS = 2.0
COMPLETED, FAILED = TaskStatus.COMPLETED.value, TaskStatus.FAILED.value
LOAD_SECONDS = 14.0
THREADS = 4


def test_two_of_each_fail_every_overdue_task_once_even_when_one_of_each_stops(
    start: Start, redis: Redis[bytes], engine: Engine, ops_env: dict[str, str]
) -> None:
    workers = [start("worker") for _ in range(2)]
    schedulers = [start("scheduler") for _ in range(2)]
    first, second = (serve(start, ops_env, free_port()) for _ in range(2))
    wait_until(lambda: expiry_job_is_scheduled(redis), 20, "the schedulers to register")
    wait_until(lambda: worker_is_listening(redis), 20, "the workers to listen")
    people = [sign_up(api.url, n) for n, api in enumerate([first, second] * (THREADS // 2))]
    load = Load(apis=[first.url, second.url], people=people)

    load.begin()
    time.sleep(LOAD_SECONDS / 2)
    load.retire(second.url)
    stopped_at = datetime.now(UTC)
    exits = [service.stop() for service in (second.service, workers[0], schedulers[0])]
    answered_before = load.answered.get(first.url, 0)
    time.sleep(LOAD_SECONDS / 2)
    load.finish()
    fates = settle(engine, load)

    assert load.errors == []
    assert exits == [0, 0, 0], "a service did not stop cleanly on SIGTERM"
    assert load.answered[first.url] > answered_before, "the remaining API stopped answering"
    assert fates.keys() == load.deadlines.keys()
    for task_id, fate in fates.items():
        expected = (COMPLETED, 0) if task_id in load.completed else (FAILED, 1)
        assert (fate.status, fate.expired_events) == expected, task_id
    expired = [fate for fate in fates.values() if fate.expired_at is not None]
    after_stop = [fate for fate in expired if fate.deadline > stopped_at]
    assert len(after_stop) >= 20, "too few deadlines after the stop to show anything"
    lags = [fate.lag_seconds for fate in expired]
    assert min(lags) >= 0, "a task failed before its deadline"
    assert p99(lags) <= PROMISED_LAG_SECONDS, sorted(lags)[-10:]
    assert p99([fate.lag_seconds for fate in after_stop]) <= PROMISED_LAG_SECONDS
    print(  # the figures the README quotes (pytest -s shows them)
        f"\n{len(fates)} tasks, {len(expired)} expired ({len(after_stop)} due after the stop), "
        f"{len(load.completed)} completed; lag p99 {p99(lags):.2f} s, max {max(lags):.2f} s"
    )
