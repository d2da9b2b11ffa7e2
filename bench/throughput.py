"""``tasks_list_rps``, ``users_list_rps`` (wrk on gunicorn with 2 sync workers) and
``statements_per_page``, on 100,000 tasks over 100 users."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.config import BenchConfig
from bench.database import fresh_database, raw_connection
from bench.dataset import TaskMix, load_tasks, load_users
from bench.http_client import access_token
from bench.load_test import run_wrk
from bench.processes import api_server, service_env
from bench.progress import step
from bench.report import Metric
from bench.statements import count_statements

PAGES = {"tasks": "/tasks?limit=30", "users": "/users?limit=30"}


def measure(config: BenchConfig) -> list[Metric]:
    logdir = Path(tempfile.mkdtemp(prefix="bench-http-"))
    with fresh_database(config.admin_url, "http") as url:
        with (
            raw_connection(url) as connection,
            step(f"loading {config.http_tasks:,} tasks over {config.http_users} users"),
        ):
            load_users(connection, config.http_users)
            load_tasks(connection, TaskMix(config.http_tasks, config.http_users, salt="http"))
        statements = count_statements(url, config.redis_url)
        env = service_env(url, config.redis_url, WEB_WORKERS="2")
        with api_server(env, logdir) as base:
            token = access_token(base)
            loads = {
                name: run_wrk(base, path, token, config.wrk_seconds) for name, path in PAGES.items()
            }
    metrics = [
        Metric(
            f"{name}_list_rps",
            result.rps,
            "req/s",
            {
                **result.as_dict(),
                "tasks": config.http_tasks,
                "users": config.http_users,
                "server": "task-assigner serve (gunicorn, WEB_WORKERS=2 sync)",
                "load": f"wrk -t2 -c8 -d{config.wrk_seconds}s",
            },
        )
        for name, result in loads.items()
    ]
    metrics.append(statements)
    return metrics
