"""``expiry_lag_p99_s``: deadline -> seen failed, on the real ``task-assigner worker`` and
``task-assigner scheduler`` with their default settings."""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

import psycopg2
from redis import Redis

from bench.config import BenchConfig
from bench.database import fresh_database, raw_connection
from bench.dataset import load_users, user_id_sql
from bench.processes import TASK_ASSIGNER, child, service_env
from bench.progress import bar, say, step
from bench.report import Metric

#: How often the bench looks for newly failed tasks: its own share of the measured lag.
POLL_SECONDS = 0.02
#: Time for the worker and scheduler to start before the first deadline.
LEAD_SECONDS = 3.0


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest value with ``fraction`` of them at or below."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def _insert_tasks(
    connection: psycopg2.extensions.connection, deadlines: dict[UUID, datetime]
) -> None:
    with connection.cursor() as cursor:
        cursor.executemany(
            f"""
            INSERT INTO tasks (external_id, name, description, type, status, deadline,
                               created_by, assigned_to, completed_at, created_at, updated_at)
            VALUES (%s, 'Lag probe', '', 'normal', 'pending', %s, {user_id_sql("1")},
                    {user_id_sql("2")}, NULL, now(), now())
            """,
            [(str(task_id), deadline) for task_id, deadline in deadlines.items()],
        )
    connection.commit()


def _newly_failed(connection: psycopg2.extensions.connection, waiting: set[UUID]) -> list[UUID]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT external_id FROM tasks"
            " WHERE status = 'failed' AND external_id = ANY(%s::uuid[])",
            ([str(task_id) for task_id in waiting],),
        )
        found = [UUID(str(row[0])) for row in cursor.fetchall()]
    connection.commit()
    return found


def wait_for_worker(redis: Redis[bytes], timeout: float = 30) -> None:
    """Until a worker has registered and the scheduler has queued its first sweep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if redis.scard("rq:workers") and redis.zcard("rq:scheduler:scheduled_jobs"):
            return
        time.sleep(0.1)
    raise RuntimeError("the worker or the scheduler did not start (see their logs)")


def measure(config: BenchConfig) -> Metric:
    redis = Redis.from_url(config.redis)
    redis.flushdb()  # the bench's own database number only
    logdir = Path(tempfile.mkdtemp(prefix="bench-lag-"))
    with fresh_database(config.admin_url, "lag") as url, raw_connection(url) as connection:
        load_users(connection, 2)
        env = service_env(url, config.redis)
        with (
            child([TASK_ASSIGNER, "worker"], env, logdir / "worker.log"),
            child([TASK_ASSIGNER, "scheduler"], env, logdir / "scheduler.log"),
        ):
            with step("starting task-assigner worker + scheduler"):
                wait_for_worker(redis)
            start = datetime.now(UTC) + timedelta(seconds=LEAD_SECONDS)
            gap = config.lag_spread_seconds / config.lag_tasks
            deadlines = {
                uuid4(): start + timedelta(seconds=i * gap) for i in range(config.lag_tasks)
            }
            _insert_tasks(connection, deadlines)
            say(
                f"{config.lag_tasks} tasks due over {config.lag_spread_seconds:g}s, "
                f"one every {gap * 1000:.0f} ms; watching every {POLL_SECONDS * 1000:.0f} ms"
            )
            lags = _watch(connection, deadlines, config.lag_spread_seconds + LEAD_SECONDS + 20)
    redis.flushdb()
    redis.close()
    values = list(lags.values())
    return Metric(
        "expiry_lag_p99_s",
        round(percentile(values, 0.99), 3),
        "s",
        {
            "p50_s": round(percentile(values, 0.50), 3),
            "max_s": round(max(values), 3),
            "mean_s": round(statistics.fmean(values), 3),
            "tasks": len(values),
            "poll_s": POLL_SECONDS,
            "lags_s": [round(v, 3) for v in values],
        },
    )


def _watch(
    connection: psycopg2.extensions.connection, deadlines: dict[UUID, datetime], timeout: float
) -> dict[UUID, float]:
    waiting = set(deadlines)
    lags: dict[UUID, float] = {}
    give_up = time.monotonic() + timeout
    while waiting and time.monotonic() < give_up:
        for task_id in _newly_failed(connection, waiting):
            lags[task_id] = (datetime.now(UTC) - deadlines[task_id]).total_seconds()
            waiting.discard(task_id)
            if len(lags) % 40 == 0 and waiting:
                bar(len(lags), len(deadlines), "failed")
        time.sleep(POLL_SECONDS)
    if waiting:
        raise RuntimeError(f"{len(waiting)} tasks were never failed")
    bar(len(lags), len(deadlines), "failed")
    return lags
