"""The real processes: gunicorn's access lines in JSON with the request's id and no secret,
every gunicorn worker's counts in one /metrics answer, and the worker's expiry lag histogram
agreeing with the lag measured from outside."""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import UTC, datetime
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from application.policy import Actor
from entrypoints.container import Container
from entrypoints.devrun.processes import free_port
from integration.ops.support import Service, Start, create_due_tasks, failed_ids, wait_until

PASSWORD = "a password nobody logs"


def call(url: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers=headers or {})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    return urllib.request.urlopen(request, timeout=10)


def answers(url: str) -> bool:
    try:
        with call(url):
            return True
    except OSError:
        return False


def scrape(url: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    with call(url) as response:
        text = response.read().decode()
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def serve(start: Start, ops_env: dict[str, str], **env: str) -> tuple[Service, str]:
    port = free_port()
    api = start("serve", env={**ops_env, "PORT": str(port), "WEB_WORKERS": "2", **env})
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: answers(f"{url}/healthz"), 30, "the API")
    return api, url


def test_access_lines_are_json_with_the_request_id_and_nothing_secret(
    start: Start, ops_env: dict[str, str]
) -> None:
    api, url = serve(start, ops_env, LOG_FORMAT="json")
    body = {"email": "ann@example.com", "name": "Ann", "password": PASSWORD}
    call(f"{url}/auth/register", {**body, "password2": PASSWORD})
    with call(f"{url}/auth/login", {"email": body["email"], "password": PASSWORD}) as response:
        token = json.loads(response.read())["token"]["access"]
    headers = {"Authorization": f"Bearer {token}", "X-Request-ID": "trace-me-42"}
    with call(f"{url}/tasks?limit=5", headers=headers) as response:
        assert response.headers["X-Request-ID"] == "trace-me-42"
    api.stop()

    output = api.output()
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    [access] = [line for line in lines if line.get("request_id") == "trace-me-42"]
    assert access["logger"] == "gunicorn.access"
    assert (access["method"], access["route"], access["path"], access["status"]) == (
        "GET",
        "/tasks",
        "/tasks",
        200,
    )
    assert access["duration_ms"] >= 0
    assert {"time", "level", "message"} <= access.keys()
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's own, as JSON
    for secret in (PASSWORD, token, "Bearer"):
        assert secret not in output


def test_metrics_add_up_every_gunicorn_worker_and_the_worker_measures_the_expiry_lag(
    start: Start, ops_env: dict[str, str], container: Container, admin: Actor
) -> None:
    _, url = serve(start, ops_env)
    for _ in range(30):  # a new connection each: both gunicorn workers answer some
        with call(f"{url}/healthz"):
            pass
    found = scrape(f"{url}/metrics")
    counted = ("method", "GET"), ("route", "/healthz"), ("status", "200")
    assert found[("task_assigner_http_requests_total", frozenset(counted))] >= 30 + 1

    metrics_port = free_port()
    start("worker", env={**ops_env, "METRICS_PORT": str(metrics_port)})
    start("scheduler")
    due = create_due_tasks(container, admin, [0.5, 1.0, 1.5])
    wait_until(lambda: set(due) <= failed_ids(container), 30, "the tasks to fail")
    seen_failed = datetime.now(UTC)

    # The lag from outside: when the sweep failed each task (its `expired` event) minus deadline.
    lags = []
    for task_id, deadline in due.items():
        [expired] = [e for e in container.task_history()(task_id).items if e.type == "expired"]
        lags.append((expired.at - deadline).total_seconds())
        assert expired.at <= seen_failed
    worker = scrape(f"http://127.0.0.1:{metrics_port}/metrics")

    def of(name: str) -> float:
        return worker[(name, frozenset())]

    assert of("task_assigner_expiry_lag_seconds_count") == 3
    assert abs(of("task_assigner_expiry_lag_seconds_sum") - sum(lags)) < 0.005
    assert min(lags) >= 0
    assert max(lags) < 5
    assert of("task_assigner_expiry_tasks_failed_total") == 3
    assert of("task_assigner_expiry_sweep_duration_seconds_count") >= 1
    assert time.time() - of("task_assigner_expiry_last_success_timestamp_seconds") < 10
    api_now = scrape(f"{url}/metrics")
    assert api_now[("task_assigner_tasks", frozenset({("status", "failed")}))] == 3
    assert ("task_assigner_queue_depth", frozenset({("queue", "task-assigner")})) in api_now
