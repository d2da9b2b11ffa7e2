"""``burst_10k_s``, ``burst_100k_s``: many open tasks due in the same second, among a large
database (1,000,000 tasks by default): the time from that second until every one of them
reads as failed, on the real ``task-assigner worker`` and ``scheduler`` with their defaults.

Each burst gets a database of its own, loaded with ``generate_series`` (:mod:`bench.dataset`:
open tasks due later or never, finished ones), nothing of it due, ``burst_total`` tasks less the
burst. The burst is then inserted in one statement shortly before its second, as tasks created
ahead of a common deadline would be, so that the database holds ``burst_total`` tasks when it
falls due."""

from __future__ import annotations

import math
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import psycopg2
from redis import Redis

from bench.config import BenchConfig
from bench.database import fresh_database, raw_connection
from bench.dataset import TaskMix, load_tasks, load_users, user_id_sql
from bench.expiry_lag import POLL_SECONDS, wait_for_worker
from bench.processes import TASK_ASSIGNER, child, service_env
from bench.progress import say, step
from bench.report import Metric

USERS: Final = 100
#: Time left between the end of the insert and the deadline, so that the insert is not
#: measured: the sweep may start on the burst only once its second has come.
MARGIN_SECONDS: Final = 2.0

_BURST = f"""
INSERT INTO tasks (external_id, name, description, type, status, deadline, created_by,
                   assigned_to, completed_at, created_at, updated_at, deleted_at)
SELECT md5(%(salt)s || i)::uuid, 'Burst task ' || i, '', 'normal',
       CASE WHEN i %% 3 = 0 THEN 'unassigned' WHEN i %% 3 = 1 THEN 'pending'
            ELSE 'in_progress' END,
       %(due)s, {user_id_sql("1")},
       CASE WHEN i %% 3 = 0 THEN NULL ELSE {user_id_sql(f"(i %% {USERS} + 1)")} END,
       NULL, now(), now(), NULL
FROM generate_series(1, %(count)s) AS i
"""


def _failed(connection: psycopg2.extensions.connection, due: datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM tasks WHERE deadline = %s AND status = 'failed'", (due,)
        )
        (count,) = cursor.fetchone()
    connection.commit()
    return int(count)


def _burst(connection: psycopg2.extensions.connection, size: int, salt: str) -> dict[str, float]:
    # Inserting takes about 1 s per 20,000 tasks here; the deadline is a whole second after it.
    lead = MARGIN_SECONDS + size / 10_000
    due = datetime.fromtimestamp(math.ceil(time.time() + lead), UTC)
    with connection.cursor() as cursor:
        cursor.execute(_BURST, {"salt": salt, "due": due, "count": size})
    connection.commit()
    left = (due - datetime.now(UTC)).total_seconds()
    if left < 0.5:
        raise RuntimeError(f"inserting {size:,} tasks ended {left:.1f}s before their deadline")
    say(f"{size:,} tasks due at {due:%H:%M:%S} ({left:.1f}s from now)")
    first_seen = None
    while True:
        failed = _failed(connection, due)
        seen = (datetime.now(UTC) - due).total_seconds()
        if failed and first_seen is None:
            first_seen = seen
        if failed == size:
            break
        if seen > 120:
            raise RuntimeError(f"only {failed:,} of {size:,} tasks failed after 120 s")
        time.sleep(POLL_SECONDS)
    say(f"  all {size:,} failed {seen:.2f}s after their deadline (first seen at {first_seen:.2f}s)")
    return {"all_failed_s": round(seen, 3), "first_failed_s": round(first_seen or seen, 3)}


def _burst_in_full_database(
    config: BenchConfig, key: str, size: int, logdir: Path
) -> dict[str, float]:
    """``size`` tasks due in one second in a fresh database of ``config.burst_total`` tasks, on
    a worker and a scheduler of their own."""
    redis = Redis.from_url(config.redis)
    redis.flushdb()  # the bench's own database number only
    background = config.burst_total - size
    with fresh_database(config.admin_url, "burst") as url, raw_connection(url) as connection:
        load_users(connection, USERS)
        with step(f"loading {background:,} tasks, none of them due"):
            load_tasks(connection, TaskMix(background, USERS, salt="burst"))
        env = service_env(url, config.redis)
        with (
            child([TASK_ASSIGNER, "worker"], env, logdir / f"worker-{key}.log"),
            child([TASK_ASSIGNER, "scheduler"], env, logdir / f"scheduler-{key}.log"),
        ):
            with step("starting task-assigner worker + scheduler"):
                wait_for_worker(redis)
            result = _burst(connection, size, salt=key)
    redis.flushdb()
    redis.close()
    return result


def measure(config: BenchConfig) -> list[Metric]:
    logdir = Path(tempfile.mkdtemp(prefix="bench-burst-"))
    sizes = {"burst_10k_s": config.burst_small, "burst_100k_s": config.burst_large}
    metrics = []
    for key, size in sizes.items():
        result = _burst_in_full_database(config, key, size, logdir)
        context = {
            **result,
            "due_in_one_second": size,
            "tasks_in_database": config.burst_total,
            "poll_s": POLL_SECONDS,
            "worker": "task-assigner worker + scheduler, default settings",
        }
        metrics.append(Metric(key, result["all_failed_s"], "s", context))
    return metrics
