"""The periodic jobs on rq-scheduler — the expiry sweep and the webhook dispatcher every second,
the reminder sweep every few seconds, the pruning of expired records every hour (the worker
that runs them: :mod:`entrypoints.worker`).

rq-scheduler keeps one sorted set of due times. Registering under a fixed job id replaces the
entry, so restarting a scheduler (or running two) never adds a second copy of a periodic job.
Two facts of rq-scheduler 0.14 shape the defaults: it stores the interval as a whole number of
seconds (0.5 would become 0, and the job would run once and stop), and it reschedules from the
current whole second. So the sweep runs every second and the poll interval decides the lag: a
task fails at most about ``interval + poll`` after its deadline, plus the sweep itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from redis import Redis
from redis.exceptions import RedisError
from rq.job import Job
from rq_scheduler import Scheduler
from rq_scheduler.utils import to_unix

from entrypoints.heartbeat import Heartbeat
from entrypoints.jobs import (
    dispatch_webhooks,
    expire_overdue_tasks,
    prune_expired_records,
    remind_deadlines,
)
from entrypoints.metrics import SCHEDULER_TICKS, serve_own_metrics
from entrypoints.settings import ConfigurationError, Settings
from entrypoints.worker import QUEUE_NAME, REDIS_RETRY_SECONDS, pause_before_retry, redis_connection

log = logging.getLogger(__name__)

#: Letters, digits, ``_`` and ``-`` only: rq refuses anything else as a job id.
EXPIRY_JOB_ID: Final = "task-assigner-expire-overdue"
PRUNE_JOB_ID: Final = "task-assigner-prune"
REMIND_JOB_ID: Final = "task-assigner-remind"
DISPATCH_JOB_ID: Final = "task-assigner-dispatch-webhooks"
#: Keep a periodic job's hash forever (RQ's -1): with a finite ttl it could expire while no
#: worker runs it, and rq-scheduler silently drops a scheduled id whose job hash is gone.
PERIODIC_RESULT_TTL: Final = -1
#: A sweep is one UPDATE; this only stops a job stuck on a lock from blocking every later one.
PERIODIC_TIMEOUT_SECONDS: Final = 120
#: How long the schedulers' shared lock outlives a scheduler killed while holding it, in ms.
#: Queueing the due jobs takes milliseconds; should it outlast the lock, a second scheduler may
#: queue a periodic job twice, which every periodic job is safe against (rq-scheduler's own
#: ten seconds would hold the sweeps up that long).
SCHEDULER_LOCK_MS: Final = 1000
#: Delete the lock only if its value is this scheduler's name.
_RELEASE_OWN_LOCK: Final = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


@dataclass(frozen=True, slots=True)
class Periodic:
    """A job the scheduler runs forever, every ``interval`` seconds, under a fixed id."""

    id: str
    func: Callable[[], object]
    interval: int
    description: str


def whole_seconds(name: str, seconds: float) -> int:
    if seconds < 1 or seconds != int(seconds):
        raise ConfigurationError(
            f"{name} must be a whole number of seconds, at least 1 "
            f"(rq-scheduler counts in whole seconds); got {seconds}."
        )
    return int(seconds)


def expiry_interval(settings: Settings) -> int:
    return whole_seconds("EXPIRY_INTERVAL_SECONDS", settings.expiry_interval_seconds)


def periodic_jobs(settings: Settings) -> tuple[Periodic, ...]:
    return (
        Periodic(
            EXPIRY_JOB_ID,
            expire_overdue_tasks,
            expiry_interval(settings),
            "Fail every open task whose deadline has passed",
        ),
        Periodic(
            PRUNE_JOB_ID,
            prune_expired_records,
            whole_seconds("PRUNE_INTERVAL_SECONDS", settings.prune_interval_seconds),
            "Forget expired refresh tokens, finished logins and old login attempts",
        ),
        Periodic(
            REMIND_JOB_ID,
            remind_deadlines,
            whole_seconds("REMINDER_INTERVAL_SECONDS", settings.reminder_interval_seconds),
            "Remind every open task whose deadline is near",
        ),
        Periodic(
            DISPATCH_JOB_ID,
            dispatch_webhooks,
            whole_seconds(
                "WEBHOOK_DISPATCH_INTERVAL_SECONDS", settings.webhook_dispatch_interval_seconds
            ),
            "Fan the webhook outbox out and queue the due deliveries",
        ),
    )


class PeriodicScheduler(Scheduler):  # type: ignore[misc]  # rq-scheduler ships no type hints
    """rq-scheduler with our periodic jobs registered, and guards so that none of them ever
    stops: it registers a job again if Redis lost it (a restart without persistence), it does
    not pile copies of a job into the queue while no worker takes them, and it owns its lock.

    rq-scheduler releases its lock only when it has recorded taking it; a SIGTERM whose handler
    runs while the request for the lock is in flight leaves the lock held, and every other
    scheduler idle, until it runs out. Here the lock's value is the scheduler's name, and a
    scheduler releases the lock whenever it holds it in Redis, never one another holds.
    """

    def __init__(self, connection: Redis[bytes], settings: Settings) -> None:
        super().__init__(
            queue_name=QUEUE_NAME, interval=settings.scheduler_poll_seconds, connection=connection
        )
        self.periodic = {job.id: job for job in periodic_jobs(settings)}
        self.liveness = Heartbeat(connection, "scheduler")
        self._release_own_lock = connection.register_script(_RELEASE_OWN_LOCK)

    def acquire_lock(self) -> bool:
        self._lock_acquired = bool(
            self.connection.set(self.scheduler_lock_key, self.key, px=SCHEDULER_LOCK_MS, nx=True)
        )
        return self._lock_acquired

    def remove_lock(self) -> None:
        self._release_own_lock(keys=[self.scheduler_lock_key], args=[self.key])
        self._lock_acquired = False

    def heartbeat(self) -> None:
        # Each poll, also on a standby waiting for the lock: it is ready to take over.
        super().heartbeat()
        self.liveness.beat()

    def register_death(self) -> None:
        super().register_death()
        self.liveness.stop()

    def register(self, periodic: Periodic) -> Job:
        """Schedule ``periodic`` now and every interval after; replaces an earlier entry."""
        job: Job = self.schedule(
            scheduled_time=datetime.now(UTC),
            func=periodic.func,
            interval=periodic.interval,
            repeat=None,
            result_ttl=PERIODIC_RESULT_TTL,
            timeout=PERIODIC_TIMEOUT_SECONDS,
            id=periodic.id,
            description=periodic.description,
        )
        return job

    def register_all(self) -> None:
        for periodic in self.periodic.values():
            self.register(periodic)

    def enqueue_jobs(self) -> Any:
        # Runs under the scheduler lock, so two schedulers cannot both re-register.
        for periodic in self.periodic.values():
            if periodic.id not in self:
                log.warning("The job %s was missing from Redis; registering it again.", periodic.id)
                self.register(periodic)
        return super().enqueue_jobs()

    def enqueue_job(self, job: Job) -> None:
        queue = self.get_queue_for_job(job)
        periodic = self.periodic.get(job.id)
        if periodic is not None and self.connection.lpos(queue.key, job.id) is not None:
            # The previous run still waits for a worker and will do all there is to do when
            # it runs; queueing another copy would only pile up runs that find nothing.
            self.connection.zadd(
                self.scheduled_jobs_key,
                {job.id: to_unix(datetime.now(UTC)) + periodic.interval},
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
        scheduler = PeriodicScheduler(connection, settings)
        try:
            scheduler.register_all()
            log.info(
                "Scheduler %s: %s on queue %r, polling every %g s.",
                scheduler.name,
                ", ".join(
                    f"{job.id} every {job.interval} s" for job in scheduler.periodic.values()
                ),
                QUEUE_NAME,
                settings.scheduler_poll_seconds,
            )
            scheduler.run()
            return
        except RedisError as error:
            pause_before_retry(f"Scheduler lost Redis ({error})", retry_seconds)
