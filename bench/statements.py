"""``statements_per_page``: SQL statements sent to the database for one page, counted with
SQLAlchemy's ``before_cursor_execute`` on the real container's engine."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import event

from application.paging import PageRequest
from application.read_models import TaskFilter, UserFilter
from bench.dataset import BENCH_PASSWORD
from bench.processes import BENCH_SECRET
from bench.progress import say
from bench.report import Metric
from entrypoints.container import build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings

LIMITS = (1, 30, 100)


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    def during(self, action: Callable[[], object]) -> int:
        self.statements.clear()
        action()
        return len(self.statements)


def count_statements(database_url: str, redis_url: str) -> Metric:
    """Per page size: the statements of the page query itself (the bar), and of the whole
    HTTP request through the Flask app (which adds the caller's authentication)."""
    container = build_container(
        Settings(database_url=database_url, redis_url=redis_url, jwt_secret=BENCH_SECRET)
    )
    client = create_app(container).test_client()
    login = client.post(
        "/auth/login", json={"email": "user1@bench.example", "password": BENCH_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.get_json()['token']['access']}"}
    counter = StatementCounter()
    engine = container.engine()
    event.listen(engine, "before_cursor_execute", counter)

    def get(path: str) -> None:
        response = client.get(path, headers=headers)
        if response.status_code != 200:
            raise RuntimeError(f"GET {path}: {response.status_code} {response.get_data()[:300]!r}")

    per_page: dict[str, dict[int, int]] = {"tasks": {}, "users": {}}
    per_request: dict[str, dict[int, int]] = {"tasks": {}, "users": {}}
    for limit in LIMITS:
        page = PageRequest(limit=limit)
        list_tasks, list_users = container.list_tasks(), container.list_users()
        per_page["tasks"][limit] = counter.during(partial(list_tasks, TaskFilter(), page=page))
        per_page["users"][limit] = counter.during(partial(list_users, UserFilter(), page=page))
        per_request["tasks"][limit] = counter.during(partial(get, f"/tasks?limit={limit}"))
        per_request["users"][limit] = counter.during(partial(get, f"/users?limit={limit}"))
    event.remove(engine, "before_cursor_execute", counter)
    container.unwire()
    engine.dispose()
    worst = max(max(counts.values()) for counts in per_page.values())
    say(f"statements per page: {per_page}; per HTTP request: {per_request}")
    return Metric(
        "statements_per_page",
        worst,
        "statements",
        {
            "tasks": per_page["tasks"][30],
            "users": per_page["users"][30],
            "by_limit": {k: {str(n): c for n, c in v.items()} for k, v in per_page.items()},
            "per_http_request_by_limit": {
                k: {str(n): c for n, c in v.items()} for k, v in per_request.items()
            },
            "note": "the page query's statements (the bar); an HTTP request adds the "
            "authentication of its caller",
        },
    )
