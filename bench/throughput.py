"""``tasks_list_rps``, ``users_list_rps`` (wrk on gunicorn with 2 sync workers) and
``statements_per_page``, on 100,000 tasks over 100 users."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bench.config import BenchConfig
from bench.cpu import backends_of, children_of, cpu_seconds, spent
from bench.database import fresh_database, raw_connection
from bench.dataset import TaskMix, load_tasks, load_users
from bench.http_client import access_token, timed_gets
from bench.load_test import run_wrk
from bench.processes import RunningApi, api_server, service_env
from bench.progress import say, step
from bench.report import Metric
from bench.statements import count_statements

PAGES = {"tasks": "/tasks?limit=30", "users": "/users?limit=30"}


def _load(
    api: RunningApi, database_url: str, path: str, token: str, seconds: int
) -> dict[str, Any]:
    """wrk on ``path``, with the CPU that the API workers and PostgreSQL spent on it."""
    timed_gets(api.url, [path] * 20, token)  # warm up: workers and their connections exist
    workers, backends = children_of(api.pid), backends_of(database_url)
    before = cpu_seconds(workers), cpu_seconds(backends)
    result = run_wrk(api.url, path, token, seconds)
    after = cpu_seconds(workers), cpu_seconds(backends | backends_of(database_url))
    api_ms = spent(before[0], after[0]) * 1000 / max(result.requests, 1)
    db_ms = spent(before[1], after[1]) * 1000 / max(result.requests, 1)
    say(f"  CPU per request: API workers {api_ms:.1f} ms, PostgreSQL {db_ms:.1f} ms")
    return {
        **result.as_dict(),
        "cpu_ms_per_request": {"api": round(api_ms, 2), "postgresql": round(db_ms, 2)},
    }


def measure(config: BenchConfig) -> list[Metric]:
    logdir = Path(tempfile.mkdtemp(prefix="bench-http-"))
    with fresh_database(config.admin_url, "http") as url:
        with (
            raw_connection(url) as connection,
            step(f"loading {config.http_tasks:,} tasks over {config.http_users} users"),
        ):
            load_users(connection, config.http_users)
            load_tasks(connection, TaskMix(config.http_tasks, config.http_users, salt="http"))
        statements = count_statements(url, config.redis)
        env = service_env(url, config.redis, WEB_WORKERS="2")
        with api_server(env, logdir) as api:
            token = access_token(api.url)
            loads = {
                name: _load(api, url, path, token, config.wrk_seconds)
                for name, path in PAGES.items()
            }
    metrics = [
        Metric(
            f"{name}_list_rps",
            float(load["rps"]),
            "req/s",
            {
                **load,
                "tasks": config.http_tasks,
                "users": config.http_users,
                "server": "task-assigner serve (gunicorn, WEB_WORKERS=2 sync)",
                "load": f"wrk -t2 -c8 -d{config.wrk_seconds}s",
            },
        )
        for name, load in loads.items()
    ]
    metrics.append(statements)
    return metrics
