"""``scale_p50_ratio``: p50 of a filtered GET /tasks at 1,000,000 tasks ÷ at 10,000.

The filter is the one a person checks most: "my pending tasks", ``assigned_to=<user>&
status=pending``, newest first, 30 a page, cycling through every user so that no single
user's rows stay hot. Users stay at 100, so at 1,000,000 tasks each holds a hundred times
more: the page must not get slower with the data behind it."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from bench.config import BenchConfig
from bench.database import fresh_database, raw_connection
from bench.dataset import TaskMix, load_tasks, load_users
from bench.expiry_lag import percentile
from bench.http_client import access_token, timed_gets
from bench.processes import api_server, service_env
from bench.progress import say, step
from bench.report import Metric

WARM_UP = 30


def _paths(connection: object, requests: int) -> list[str]:
    with connection.cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute("SELECT external_id FROM users ORDER BY email")
        users = [str(row[0]) for row in cursor.fetchall()]
    return [
        f"/tasks?assigned_to={users[i % len(users)]}&status=pending&limit=30"
        for i in range(requests)
    ]


def measure(config: BenchConfig) -> Metric:
    logdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    sizes = (config.scale_small, config.scale_large)
    p50: dict[int, float] = {}
    p99: dict[int, float] = {}
    with fresh_database(config.admin_url, "scale") as url, raw_connection(url) as connection:
        load_users(connection, config.scale_users)
        paths = _paths(connection, config.scale_requests + WARM_UP)
        with api_server(service_env(url, config.redis, WEB_WORKERS="2"), logdir) as api:
            token = access_token(api.url)
            loaded = 0
            for size in sizes:
                with step(f"loading tasks up to {size:,}"):
                    mix = TaskMix(size, config.scale_users, salt="scale", first=loaded + 1)
                    load_tasks(connection, mix)
                    loaded = size
                timings = timed_gets(api.url, paths, token)[WARM_UP:]
                p50[size] = statistics.median(timings)
                p99[size] = percentile(timings, 0.99)
                say(f"  {size:,} tasks: p50 {p50[size] * 1e3:.1f} ms, p99 {p99[size] * 1e3:.1f} ms")
    small, large = sizes
    return Metric(
        "scale_p50_ratio",
        round(p50[large] / p50[small], 3),
        "x",
        {
            "filter": "GET /tasks?assigned_to=<each of the users in turn>&status=pending&limit=30",
            "users": config.scale_users,
            "requests_per_size": config.scale_requests,
            "p50_ms": {str(size): round(v * 1000, 2) for size, v in p50.items()},
            "p99_ms": {str(size): round(v * 1000, 2) for size, v in p99.items()},
        },
    )
