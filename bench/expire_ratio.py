"""``expire_ratio``: the ExpireOverdueTasks use case, through the real container and adapters,
against the same work written by hand in SQL, on identical freshly loaded data, in turn."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Final

import psycopg2

from bench.config import BenchConfig
from bench.database import fresh_database, raw_connection
from bench.dataset import TaskMix, empty_tasks, load_tasks, load_users
from bench.processes import BENCH_SECRET
from bench.progress import say, step
from bench.report import Metric
from entrypoints.container import build_container
from entrypoints.settings import Settings

#: What a person would write for "fail the overdue open tasks and log it": one UPDATE that
#: reads the old status through a self-join, feeding the history INSERT. No locking order,
#: no ORM, no unit of work: the floor the use case is held against.
HAND_WRITTEN: Final = """
WITH expired AS (
    UPDATE tasks SET status = 'failed', updated_at = now()
    FROM tasks AS old
    WHERE old.external_id = tasks.external_id
      AND tasks.status IN ('unassigned', 'pending', 'in_progress')
      AND tasks.deleted_at IS NULL AND tasks.deadline <= now()
    RETURNING tasks.external_id, old.status
)
INSERT INTO task_events (task_id, type, actor_id, at, from_status, to_status, changes)
SELECT external_id, 'expired', NULL, now(), status, 'failed', '{}'::jsonb FROM expired
"""


def _prepare(connection: psycopg2.extensions.connection, mix: TaskMix) -> None:
    empty_tasks(connection)
    load_tasks(connection, mix)
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")  # neither side pays for the other's dirty pages
    connection.commit()


def _failed_count(connection: psycopg2.extensions.connection) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM task_events WHERE type = 'expired'")
        (count,) = cursor.fetchone()
    connection.commit()
    return int(count)


def measure(config: BenchConfig) -> Metric:
    mix = TaskMix(
        count=config.expire_total, users=100, overdue=config.expire_overdue, salt="expire"
    )
    with fresh_database(config.admin_url, "expire") as url, raw_connection(url) as connection:
        load_users(connection, mix.users)
        container = build_container(
            Settings(database_url=url, redis_url=config.redis, jwt_secret=BENCH_SECRET)
        )
        with container.engine().connect():  # open the pool's connection before timing
            pass

        def by_use_case() -> int:
            return container.expire_overdue()().failed

        def by_hand() -> int:
            with connection.cursor() as cursor:
                cursor.execute(HAND_WRITTEN)
                count = cursor.rowcount
            connection.commit()
            return int(count)

        timings: dict[str, list[float]] = {"use_case": [], "raw_sql": []}
        runs: list[tuple[str, Callable[[], int]]] = [
            ("use_case", by_use_case),
            ("raw_sql", by_hand),
        ]
        for repeat in range(1, config.expire_repeats + 1):
            # Alternate who goes first, so drift over the run favours neither.
            for name, run in runs if repeat % 2 else runs[::-1]:
                with step(f"expire round {repeat}/{config.expire_repeats}: load for {name}"):
                    _prepare(connection, mix)
                began = time.perf_counter()
                failed = run()
                elapsed = time.perf_counter() - began
                recorded = _failed_count(connection)
                if failed != mix.overdue or recorded != mix.overdue:
                    raise RuntimeError(
                        f"{name} failed {failed} tasks and recorded {recorded} events, "
                        f"expected {mix.overdue}"
                    )
                timings[name].append(elapsed)
                say(f"  {name}: {failed:,} tasks failed in {elapsed:.3f}s")
        container.engine().dispose()
    use_case = statistics.median(timings["use_case"])
    raw_sql = statistics.median(timings["raw_sql"])
    return Metric(
        "expire_ratio",
        round(use_case / raw_sql, 3),
        "x",
        {
            "use_case_median_s": round(use_case, 3),
            "raw_sql_median_s": round(raw_sql, 3),
            "use_case_runs_s": [round(t, 3) for t in timings["use_case"]],
            "raw_sql_runs_s": [round(t, 3) for t in timings["raw_sql"]],
            "overdue_tasks": mix.overdue,
            "total_tasks": mix.count,
        },
    )
