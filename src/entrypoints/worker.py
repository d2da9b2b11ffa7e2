"""The RQ worker that runs the expiry sweeps, and what it shares with the scheduler: the queue,
the Redis connection, and how both outlive a Redis outage."""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType
from typing import Any, Final

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker

from entrypoints.heartbeat import BEAT_EVERY_SECONDS, Heartbeat
from entrypoints.metrics import serve_own_metrics
from entrypoints.settings import Settings

log = logging.getLogger(__name__)

QUEUE_NAME: Final = "task-assigner"
#: Webhook deliveries (see :mod:`entrypoints.jobs`); a worker serves the sweeps' queue first.
WEBHOOK_QUEUE: Final = "task-assigner-webhooks"
#: What ``task-assigner worker --queue`` may name, in the order a worker serves them. A worker
#: of its own for webhooks keeps a slow receiver (up to its 10 s timeout) from delaying a sweep.
QUEUES: Final = {"sweeps": QUEUE_NAME, "webhooks": WEBHOOK_QUEUE}
REDIS_RETRY_SECONDS: Final = 1.0


def redis_connection(settings: Settings) -> Redis[bytes]:
    """A connection for RQ alone: RQ widens its socket timeout for blocking pops, which must not
    leak into the API's short-timeout client."""
    return Redis.from_url(settings.redis_url, socket_connect_timeout=5)


class _SweepWorker(SimpleWorker):
    """A SimpleWorker that remembers whether a signal, rather than an error, stopped it."""

    stop_signalled = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.liveness = Heartbeat(self.connection, "worker")

    @property
    def dequeue_timeout(self) -> int:
        # RQ beats after each job and each wait for one; waits this short keep an idle worker's
        # heartbeat fresh (RQ's default wait is 405 s).
        return int(BEAT_EVERY_SECONDS)

    def heartbeat(self, *args: Any, **kwargs: Any) -> None:
        super().heartbeat(*args, **kwargs)
        self.liveness.beat()

    def register_death(self) -> None:
        super().register_death()  # type: ignore[no-untyped-call]
        self.liveness.stop()

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stop_signalled = True
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]


def run_worker(
    settings: Settings,
    *,
    burst: bool = False,
    verbose: bool = False,
    retry_seconds: float = REDIS_RETRY_SECONDS,
    queues: tuple[str, ...] = tuple(QUEUES),
) -> None:
    """An RQ worker that runs jobs in its own process, until a signal stops it.

    RQ's default worker forks a child per job, and a fresh child has neither the imported
    adapters nor the container: every sweep, once a second, would pay for imports, an engine and
    a new database connection. SimpleWorker keeps one process, one container and one connection
    pool; job timeouts still hold (SIGALRM in the main thread). RQ waits out a Redis outage only
    while it waits for a job; anywhere else it quits, so it is started again here."""
    serve_own_metrics(settings)
    connection = redis_connection(settings)
    while True:
        worker: _SweepWorker | None = None
        try:
            served = [Queue(QUEUES[name], connection=connection) for name in served_queues(queues)]
            worker = _SweepWorker(served, connection=connection)
            worker.work(burst=burst, logging_level="INFO" if verbose else "WARNING")
            problem = "stopped on an error"
        except RedisError as error:
            problem = f"lost Redis ({error})"
        if burst or (worker is not None and worker.stop_signalled):
            return
        pause_before_retry(f"Worker {problem}", retry_seconds)


def served_queues(names: tuple[str, ...]) -> list[str]:
    """The named queues (all when none is named), sweeps first, each once."""
    wanted = set(names or QUEUES)
    return [name for name in QUEUES if name in wanted]


def pause_before_retry(problem: str, seconds: float) -> None:
    log.warning("%s; starting again in %g s.", problem, seconds)
    # RQ's signal handlers talk to Redis before exiting: while it is away, a SIGTERM or a
    # Ctrl-C must simply stop the process.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    time.sleep(seconds)
