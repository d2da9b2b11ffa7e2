"""The HTTP figures, all on one database and in one run: the framework's ceiling, the reads
and the writes as shares of it, what ETags and cursors cost, the statements per page, and
the flame graph of the task list.

Four servers run side by side, each with gunicorn's 2 sync workers: the service
(``task-assigner serve``), the same app with ETags and cursors bypassed, and the bare Flask
app (:mod:`bench.serve`). An idle server costs nothing, so each figure meets only wrk and
the machine's other load, which the interleaved rounds spread over all of them."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from bench import writes
from bench.bare_app import PAGE_FILE, SMALL_FILE
from bench.config import BenchConfig
from bench.database import fresh_database, raw_connection
from bench.dataset import TaskMix, load_tasks, load_users
from bench.http_client import access_token, get_json
from bench.http_figures import http_metrics
from bench.load_test import LOAD, Request
from bench.processes import api_server, service_env
from bench.profile import profile
from bench.progress import step
from bench.report import Metric
from bench.rounds import Target
from bench.rounds import measure as measure_rounds
from bench.statements import count_statements

TASKS_PAGE = "/tasks?limit=30"
USERS_PAGE = "/users?limit=30"


def _documents(url: str, token: str, deep: int, folder: Path) -> dict[str, Any]:
    """What the service answers, for the bare app to answer too, and the cursors and the
    task the read figures use."""
    first = get_json(url, TASKS_PAGE, token)
    task = next(item for item in first["results"] if item["assigned_to"] is not None)
    detail = get_json(url, f"/tasks/{task['external_id']}", token)
    before_deep = get_json(url, f"{TASKS_PAGE}&offset={deep - 30}", token)
    (folder / "page.json").write_text(json.dumps(first))
    (folder / "small.json").write_text(json.dumps(detail))
    return {
        "task_id": task["external_id"],
        "second_page_cursor": first["next_cursor"],
        "deep_cursor": before_deep["next_cursor"],
        "page_bytes": len(json.dumps(first)),
        "small_bytes": len(json.dumps(detail)),
    }


def measure(config: BenchConfig) -> list[Metric]:
    folder = Path(tempfile.mkdtemp(prefix="bench-http-"))
    deep = min(config.deep_offset, config.http_tasks // 2)
    with fresh_database(config.admin_url, "http") as url:
        with (
            raw_connection(url) as connection,
            step(f"loading {config.http_tasks:,} tasks over {config.http_users} users"),
        ):
            load_users(connection, config.http_users)
            load_tasks(connection, TaskMix(config.http_tasks, config.http_users, salt="http"))
            pool = writes.load_pool(connection, config.write_pool)
            with connection.cursor() as cursor:
                cursor.execute("SELECT external_id FROM users ORDER BY email LIMIT 10")
                user_ids = [str(row[0]) for row in cursor.fetchall()]
            connection.commit()
        statements = count_statements(url, config.redis)
        env = service_env(url, config.redis, WEB_WORKERS="2")
        with api_server(env, folder) as api:
            token = access_token(api.url)
            found = _documents(api.url, token, deep, folder)
            bare_env = {
                **env,
                PAGE_FILE: str(folder / "page.json"),
                SMALL_FILE: str(folder / "small.json"),
            }
            with (
                api_server(bare_env, folder, variant="bare") as bare,
                api_server(env, folder, variant="plain") as plain,
            ):
                detail = f"/tasks/{found['task_id']}"
                service = {"server": api, "token": token, "database_url": url}
                bypassed = {"server": plain, "token": token, "database_url": url}
                reads = [
                    Target("bare_page", bare, Request("/page")),
                    Target("bare_small", bare, Request("/small")),
                    Target("tasks_list", request=Request(TASKS_PAGE), **service),
                    Target("users_list", request=Request(USERS_PAGE), **service),
                    Target("task_detail", request=Request(detail), **service),
                    Target("plain_detail", request=Request(detail), **bypassed),
                    Target(
                        "cursor_page",
                        request=Request(f"{TASKS_PAGE}&cursor={found['second_page_cursor']}"),
                        **service,
                    ),
                    Target("plain_page", request=Request(f"{TASKS_PAGE}&offset=30"), **bypassed),
                    Target(
                        "deep_offset", request=Request(f"{TASKS_PAGE}&offset={deep}"), **service
                    ),
                    Target(
                        "deep_cursor",
                        request=Request(f"{TASKS_PAGE}&cursor={found['deep_cursor']}"),
                        **service,
                    ),
                ]
                with step("reads, side by side with the bare app and the bypassed one"):
                    measured = measure_rounds(reads, config.rounds, config.wrk_seconds)
                with step("profile of the task list"):
                    flame = profile(
                        api, TASKS_PAGE, token, config.profile_seconds, config.profile_path
                    )
                write_targets = [
                    Target("bare_post", bare, Request("/post", "POST", writes.CREATE_BODY)),
                    *writes.write_targets(api, token, url, pool, user_ids, config.rounds, folder),
                ]
                with step("writes, side by side with the bare app"):
                    measured |= measure_rounds(write_targets, config.rounds, config.wrk_seconds)
    context = {
        "tasks": config.http_tasks,
        "users": config.http_users,
        "server": "gunicorn, WEB_WORKERS=2 sync (task-assigner serve; bench.serve for the "
        "bare and the bypassed app)",
        "load": f"{LOAD} -d{config.wrk_seconds}s, {config.rounds} interleaved rounds, median",
    }
    metrics = http_metrics(measured, context, found, deep)
    metrics[0].details["profile"] = flame
    return [*metrics, statements]
