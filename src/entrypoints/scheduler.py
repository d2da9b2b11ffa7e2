"""The periodic expiry sweep on rq-scheduler (the worker that runs it: :mod:`entrypoints.worker`).

rq-scheduler keeps one sorted set of due times. Registering under a fixed job id replaces the
entry, so restarting a scheduler (or running two) never adds a second periodic job. Two facts of
rq-scheduler 0.14 shape the defaults: it stores the interval as a whole number of seconds (0.5
would become 0, and the job would run once and stop), and it reschedules from the current whole
second. So the job runs every second and the poll interval decides the lag: a task fails at most
about ``interval + poll`` after its deadline, plus the sweep itself.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any, Final

from redis import Redis
from redis.exceptions import RedisError
from rq.job import Job
from rq_scheduler import Scheduler
from rq_scheduler.utils import to_unix

from entrypoints.jobs import expire_overdue_tasks
from entrypoints.metrics import SCHEDULER_TICKS, serve_own_metrics
from entrypoints.settings import ConfigurationError, Settings
from entrypoints.worker import QUEUE_NAME, REDIS_RETRY_SECONDS, pause_before_retry, redis_connection

log = logging.getLogger(__name__)

#: Letters, digits, ``_`` and ``-`` only: rq refuses anything else as a job id.
EXPIRY_JOB_ID: Final = "task-assigner-expire-overdue"
#: Keep the periodic job's hash forever (RQ's -1): with a finite ttl it could expire while no
#: worker runs it, and rq-scheduler silently drops a scheduled id whose job hash is gone.
EXPIRY_RESULT_TTL: Final = -1
#: A sweep is one UPDATE; this only stops a sweep stuck on a lock from blocking every later one.
EXPIRY_TIMEOUT_SECONDS: Final = 120


def expiry_interval(settings: Settings) -> int:
    interval = settings.expiry_interval_seconds
    if interval < 1 or interval != int(interval):
        raise ConfigurationError(
            "EXPIRY_INTERVAL_SECONDS must be a whole number of seconds, at least 1 "
            f"(rq-scheduler counts in whole seconds); got {interval}."
        )
    return int(interval)


class ExpiryScheduler(Scheduler):  # type: ignore[misc]  # rq-scheduler ships no type hints
    """rq-scheduler with the expiry job registered, and two guards so that it never stops:
    it re-registers the job if Redis lost it (a restart without persistence), and it does not
    pile copies of the job into the queue while no worker takes them."""

    def __init__(self, connection: Redis[bytes], settings: Settings) -> None:
        super().__init__(
            queue_name=QUEUE_NAME, interval=settings.scheduler_poll_seconds, connection=connection
        )
        self.expiry_interval = expiry_interval(settings)

    def register_expiry(self) -> Job:
        """Schedule the sweep now and every interval after; replaces any earlier registration."""
        job: Job = self.schedule(
            scheduled_time=datetime.now(UTC),
            func=expire_overdue_tasks,
            interval=self.expiry_interval,
            repeat=None,
            result_ttl=EXPIRY_RESULT_TTL,
            timeout=EXPIRY_TIMEOUT_SECONDS,
            id=EXPIRY_JOB_ID,
            description="Fail every open task whose deadline has passed",
        )
        return job

    def enqueue_jobs(self) -> Any:
        # Runs under the scheduler lock, so two schedulers cannot both re-register.
        if EXPIRY_JOB_ID not in self:
            log.warning("The expiry job was missing from Redis; registering it again.")
            self.register_expiry()
        return super().enqueue_jobs()

    def enqueue_job(self, job: Job) -> None:
        queue = self.get_queue_for_job(job)
        if job.id == EXPIRY_JOB_ID and self.connection.lpos(queue.key, job.id) is not None:
            # The previous tick still waits for a worker and will sweep everything overdue
            # when it runs; queueing another copy would only pile up no-op sweeps.
            self.connection.zadd(
                self.scheduled_jobs_key,
                {job.id: to_unix(datetime.now(UTC)) + self.expiry_interval},
            )
            SCHEDULER_TICKS.labels("skipped").inc()
            return
        super().enqueue_job(job)
        if job.id == EXPIRY_JOB_ID:
            SCHEDULER_TICKS.labels("enqueued").inc()


def run_scheduler(settings: Settings, retry_seconds: float = REDIS_RETRY_SECONDS) -> None:
    """Run until a signal stops it. rq-scheduler exits when Redis goes away; this starts it
    again, so the sweeps resume by themselves when Redis is back (and the job is registered
    again if Redis came back empty)."""
    serve_own_metrics(settings)
    connection = redis_connection(settings)
    while True:
        # A new instance each time: a new name, since the old one may still look alive.
        scheduler = ExpiryScheduler(connection, settings)
        try:
            scheduler.register_expiry()
            log.info(
                "Scheduler %s: %s every %d s on queue %r, polling every %g s.",
                scheduler.name,
                EXPIRY_JOB_ID,
                scheduler.expiry_interval,
                QUEUE_NAME,
                settings.scheduler_poll_seconds,
            )
            scheduler.run()
            return
        except RedisError as error:
            pause_before_retry(f"Scheduler lost Redis ({error})", retry_seconds)
