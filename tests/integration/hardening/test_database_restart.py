"""PostgreSQL restarted under load: requests caught by the outage get a JSON 503 at once (no
hang, no 500), and the service recovers by itself once the database is back.

Runs against a PostgreSQL server of its own (``own_postgres``), never the run's."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import psycopg2
import pytest
from flask import Flask

from adapters.sqlalchemy import migrations
from entrypoints.container import Container, build_container
from entrypoints.devrun.postgres_server import EmbeddedPostgres
from entrypoints.http.app import create_app
from integration.api.fixtures import settings_for, signer
from integration.api.support import Caller, error_of, in_an_hour
from integration.servers import own_postgres

#: No request may take longer than this, outage or not: a hung request is a failure.
SLOWEST_ANSWER_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    json: bool
    seconds: float
    at: float


@pytest.fixture
def server() -> Iterator[EmbeddedPostgres]:
    with own_postgres() as server:
        migrations.upgrade(server.url())
        yield server


@pytest.fixture
def own_app(server: EmbeddedPostgres, redis_url: str) -> Iterator[tuple[Flask, Container]]:
    container = build_container(settings_for(server.url(), redis_url))
    yield create_app(container), container
    container.unwire()
    container.engine().dispose()
    container.redis().close()


def _hammer(app: Flask, caller: Caller, stop: threading.Event) -> list[Answer]:
    """Reads and writes, one after the other, until told to stop."""
    client, answers, n = app.test_client(), [], 0
    while not stop.is_set():
        n += 1
        began = time.monotonic()
        if n % 3:
            response = client.get("/tasks?limit=30", headers=caller.headers)
        else:
            response = client.post("/tasks", json={"name": f"load {n}"}, headers=caller.headers)
        answers.append(
            Answer(response.status_code, response.is_json, time.monotonic() - began, began)
        )
        if response.status_code == 503:
            error_of(response, 503)
            assert response.headers.get("Retry-After")
        time.sleep(0.005)
    return answers


def _wait_for_a_lock_waiter(url: str) -> None:
    query = "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
    give_up = time.monotonic() + 10
    probe = psycopg2.connect(url)
    probe.autocommit = True  # a fresh snapshot of pg_stat_activity on every poll
    try:
        while time.monotonic() < give_up:
            with probe.cursor() as cursor:
                cursor.execute(query)
                if cursor.fetchone()[0]:
                    return
            time.sleep(0.02)
    finally:
        probe.close()
    raise AssertionError("the completion never waited for the lock")


def test_a_restart_under_load_gives_json_503s_then_recovers(
    server: EmbeddedPostgres, own_app: tuple[Flask, Container]
) -> None:
    app, _ = own_app
    alice = signer(app.test_client())("Alice", "alice@example.com")
    task = alice.create_task(deadline=in_an_hour())
    assigned = alice.post(
        "/tasks/assign_task", json={"user_id": alice.user_id, "task_id": task["external_id"]}
    )
    assert assigned.status_code == 200

    # One request certainly in flight when the server goes: a completion waiting on a lock.
    holder = psycopg2.connect(server.url())
    holder.cursor().execute(
        "SELECT 1 FROM tasks WHERE external_id = %s FOR UPDATE", (task["external_id"],)
    )
    stop = threading.Event()
    with ThreadPoolExecutor(4) as pool:
        try:
            stuck: Future[tuple[int, bool, float]] = pool.submit(
                _timed_complete, app, alice, task["external_id"]
            )
            _wait_for_a_lock_waiter(server.url())
            loads = [pool.submit(_hammer, app, alice, stop) for _ in range(3)]
            time.sleep(0.5)
            went_down = time.monotonic()
            server.stop()  # a fast shutdown, as a restart by ops does
            time.sleep(0.5)
            server.start()
            came_back = time.monotonic()
            time.sleep(1.5)
        finally:
            stop.set()
            holder.close()  # whatever happened, nothing stays blocked on its lock
        answers = [answer for load in loads for answer in load.result(timeout=30)]
        status, is_json, seconds = stuck.result(timeout=30)

    assert (status, is_json) == (503, True)
    assert seconds < SLOWEST_ANSWER_SECONDS
    assert all(a.json for a in answers)
    assert {a.status for a in answers} <= {200, 201, 503}, {a.status for a in answers}
    assert max(a.seconds for a in answers) < SLOWEST_ANSWER_SECONDS
    assert any(a.status == 503 for a in answers if went_down <= a.at <= came_back)
    settled = [a for a in answers if a.at > came_back + 0.5]
    assert settled, "no request was made after the restart"
    assert all(a.status in (200, 201) for a in settled), [a.status for a in settled]
    assert alice.get(f"/tasks/{task['external_id']}").status_code == 200


def _timed_complete(app: Flask, caller: Caller, task_id: str) -> tuple[int, bool, float]:
    began = time.monotonic()
    response = app.test_client().post(f"/tasks/{task_id}/complete_task", headers=caller.headers)
    return response.status_code, response.is_json, time.monotonic() - began
