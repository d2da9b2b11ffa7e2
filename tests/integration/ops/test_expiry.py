"""The periodic expiry sweep with real `task-assigner worker` and `scheduler` processes."""

from __future__ import annotations

import re
import signal
import subprocess
import time
import uuid
from datetime import UTC, datetime

from redis import Redis
from rq.job import Job
from rq.registry import FailedJobRegistry
from sqlalchemy import create_engine, make_url, text

from adapters.sqlalchemy import migrations
from application.policy import Actor
from domain.status import TaskEventType
from entrypoints.container import Container, build_container
from entrypoints.scheduler import (
    DISPATCH_JOB_ID,
    EXPIRY_JOB_ID,
    PRUNE_JOB_ID,
    REMIND_JOB_ID,
)
from entrypoints.settings import Settings
from entrypoints.worker import QUEUE_NAME
from integration.ops.support import (
    SCHEDULED_JOBS_KEY,
    SECRET,
    TASK_ASSIGNER,
    Start,
    create_due_tasks,
    expiry_job_is_scheduled,
    failed_ids,
    wait_until,
    worker_is_listening,
)

PROMISED_LAG_SECONDS = 2.0
#: The sweep and the pruning.
ALL_PERIODIC = (EXPIRY_JOB_ID, PRUNE_JOB_ID, REMIND_JOB_ID, DISPATCH_JOB_ID)
PERIODIC_JOBS = len(ALL_PERIODIC)


def _start_expiry(start: Start, redis: Redis[bytes], workers: int = 1, schedulers: int = 1) -> None:
    for _ in range(workers):
        start("worker")
    for _ in range(schedulers):
        start("scheduler")
    wait_until(lambda: expiry_job_is_scheduled(redis), 20, "the scheduler to register")
    wait_until(lambda: worker_is_listening(redis), 20, "a worker to listen")


def _expired_events(container: Container, task_id: object) -> int:
    history = container.task_history()(task_id)
    return sum(entry.type is TaskEventType.EXPIRED for entry in history.items)


def test_a_task_fails_within_two_seconds_of_its_deadline(
    start: Start, redis: Redis[bytes], container: Container, admin: Actor
) -> None:
    _start_expiry(start, redis)
    # Spread over several ticks, so that deadlines fall at every phase of the schedule.
    due = create_due_tasks(container, admin, [1 + i * 0.13 for i in range(24)])

    seen_failed: dict[object, datetime] = {}
    deadline = time.monotonic() + 4 + 3.5
    while len(seen_failed) < len(due) and time.monotonic() < deadline:
        now = datetime.now(UTC)
        for task_id in failed_ids(container) - seen_failed.keys():
            seen_failed[task_id] = now
        time.sleep(0.02)

    assert seen_failed.keys() == due.keys()
    lags = sorted((seen_failed[task_id] - due[task_id]).total_seconds() for task_id in due)
    assert lags[0] >= 0, "a task failed before its deadline"
    assert lags[-1] <= PROMISED_LAG_SECONDS, f"lags: {lags}"


def _periodic_jobs_are_scheduled(redis: Redis[bytes]) -> bool:
    return all(redis.zscore(SCHEDULED_JOBS_KEY, job_id) is not None for job_id in ALL_PERIODIC)


def test_restarting_the_scheduler_leaves_each_periodic_job_scheduled_once(
    start: Start, redis: Redis[bytes]
) -> None:
    for stop_signal in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
        scheduler = start("scheduler")
        wait_until(lambda: _periodic_jobs_are_scheduled(redis), 20, "the scheduler to register")
        scheduler.stop(stop_signal)

    scheduled = redis.zrange(SCHEDULED_JOBS_KEY, 0, -1)
    assert sorted(scheduled) == sorted(job_id.encode() for job_id in ALL_PERIODIC)
    job = Job.fetch(EXPIRY_JOB_ID, connection=redis)
    assert job.meta["interval"] == 1
    assert "repeat" not in job.meta  # forever
    assert job.func_name == "entrypoints.jobs.expire_overdue_tasks"
    pruning = Job.fetch(PRUNE_JOB_ID, connection=redis)
    assert (pruning.meta["interval"], pruning.func_name) == (
        3600,
        "entrypoints.jobs.prune_expired_records",
    )


def _scheduled_entries(redis: Redis[bytes]) -> int:
    """How many entries the scheduler's set holds once settled, never fewer than the most seen.

    rq-scheduler moves a due job by removing its entry and adding it back for the next run,
    so a read between the two finds one fewer (the sweep is due every second): the set is read
    until it holds every periodic job, for up to 2 s, and a duplicate is never hidden."""
    seen = [redis.zcard(SCHEDULED_JOBS_KEY)]
    deadline = time.monotonic() + 2
    while seen[-1] < PERIODIC_JOBS and time.monotonic() < deadline:
        time.sleep(0.02)
        seen.append(redis.zcard(SCHEDULED_JOBS_KEY))
    return max(seen)


def test_the_periodic_job_outlives_its_runs(start: Start, redis: Redis[bytes]) -> None:
    _start_expiry(start, redis)
    first_end = _wait_for_a_run(redis, after=None)
    later_end = _wait_for_a_run(redis, after=first_end)

    assert later_end > first_end
    # The job hash must never expire: rq-scheduler drops an id whose hash is gone.
    assert redis.ttl(f"rq:job:{EXPIRY_JOB_ID}") == -1
    assert expiry_job_is_scheduled(redis)
    assert _scheduled_entries(redis) == PERIODIC_JOBS  # one entry of each, never more


def _wait_for_a_run(redis: Redis[bytes], after: datetime | None) -> datetime:
    ended: list[datetime] = []

    def ran() -> bool:
        job = Job.fetch(EXPIRY_JOB_ID, connection=redis)
        if job.ended_at is not None and (after is None or job.ended_at > after):
            ended.append(job.ended_at)
        return bool(ended)

    wait_until(ran, 10, "a sweep to run")
    return ended[0]


def test_two_schedulers_and_workers_fail_each_task_once_and_count_it_once(
    start: Start, redis: Redis[bytes], container: Container, admin: Actor, ops_env: dict[str, str]
) -> None:
    workers = [start("worker") for _ in range(2)]
    for _ in range(2):
        start("scheduler")
    wait_until(lambda: expiry_job_is_scheduled(redis), 20, "the schedulers to register")
    wait_until(lambda: worker_is_listening(redis), 20, "the workers to listen")
    due = create_due_tasks(container, admin, [1 + i * 0.05 for i in range(40)])

    # One-off sweeps by hand at the same time, as an operator might run them.
    by_hand = 0
    deadline = time.monotonic() + 15
    while failed_ids(container) != due.keys() and time.monotonic() < deadline:
        result = subprocess.run(
            [TASK_ASSIGNER, "expire-overdue"],
            env=ops_env,
            capture_output=True,
            text=True,
            check=True,
        )
        by_hand += int(re.fullmatch(r"Failed (\d+) overdue task\(s\)\.\n", result.stdout)[1])  # type: ignore[index]
    time.sleep(1.5)  # give any duplicate sweep the time to show itself

    assert failed_ids(container) == due.keys()
    assert all(_expired_events(container, task_id) == 1 for task_id in due)
    by_workers = sum(
        int(count)
        for worker in workers
        for count in re.findall(r"Expiry sweep failed (\d+) overdue", worker.output())
    )
    assert by_workers + by_hand == len(due)
    assert _scheduled_entries(redis) == PERIODIC_JOBS  # one entry of each, never more


def test_a_failing_sweep_is_retried_at_the_next_tick(
    start: Start, redis: Redis[bytes], ops_env: dict[str, str], database_url: str
) -> None:
    # The worker's database does not exist yet: every sweep fails until it does.
    late = make_url(database_url).set(database=f"task_assigner_late_{uuid.uuid4().hex[:12]}")
    late_url = late.render_as_string(hide_password=False)
    admin = create_engine(
        late.set(drivername="postgresql+psycopg2", database="postgres"),
        isolation_level="AUTOCOMMIT",
    )
    worker = start("worker", env={**ops_env, "DATABASE_URL": late_url})
    start("scheduler")
    try:
        wait_until(
            lambda: "Expiry sweep failed (OperationalError" in worker.output(), 20, "a failure"
        )
        registry = FailedJobRegistry(QUEUE_NAME, connection=redis)
        wait_until(lambda: EXPIRY_JOB_ID in registry.get_job_ids(), 5, "RQ to record the failure")
        assert expiry_job_is_scheduled(redis)

        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{late.database}"'))
        migrations.upgrade(late_url)
        late_container = build_container(
            Settings(database_url=late_url, redis_url="redis://unused", jwt_secret=SECRET)
        )
        try:
            view = late_container.create_admin()(
                email="a@example.com", name="A", password="long enough"
            )
            due = create_due_tasks(late_container, Actor(view.external_id, is_admin=True), [1.0])
            # The same worker process, with the container it built while the database was gone.
            wait_until(lambda: failed_ids(late_container) == due.keys(), 4, "a sweep to succeed")
        finally:
            late_container.engine().dispose()
        assert expiry_job_is_scheduled(redis)
        assert re.search(r"Expiry sweep failed 1 overdue task", worker.output())
    finally:
        worker.stop()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{late.database}" WITH (FORCE)'))
        admin.dispose()
