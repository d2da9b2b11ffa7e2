"""Completions aimed at the deadline, a few milliseconds either side, while the expiry sweep
runs back to back: every task ends completed or failed, never both, and never with a 5xx."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import Engine, text

from entrypoints.container import Container
from integration.api.support import Caller

TASKS = 30
SPACING = timedelta(milliseconds=25)
#: Where each completion lands relative to its task's deadline, in milliseconds.
OFFSETS_MS = (-6, -4, -2, -1, 0, 1, 2, 4, 6)


def _prepare(alice: Caller, first_deadline: datetime) -> list[tuple[str, datetime]]:
    tasks = []
    for i in range(TASKS):
        deadline = first_deadline + i * SPACING
        task = alice.create_task(deadline=deadline.isoformat())
        assigned = alice.post(
            "/tasks/assign_task", json={"user_id": alice.user_id, "task_id": task["external_id"]}
        )
        assert assigned.status_code == 200, assigned.get_json()
        tasks.append((task["external_id"], deadline))
    return tasks


def _request_latency(app: Flask, alice: Caller, task_id: str) -> timedelta:
    """How long a request takes to reach the database here, so that completions can be aimed
    to arrive (not to leave) around the deadline."""
    client, timings = app.test_client(), []
    for _ in range(5):
        began = time.perf_counter()
        client.get(f"/tasks/{task_id}", headers=alice.headers)
        timings.append(time.perf_counter() - began)
    return timedelta(seconds=sorted(timings)[2])


def _sweep_until(container: Container, stop: threading.Event, errors: list[BaseException]) -> None:
    expire = container.expire_overdue
    while not stop.is_set():
        try:
            expire()()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
            return
        time.sleep(0.001)


def test_complete_racing_expiry_at_the_deadline_never_does_both(
    app: Flask, container: Container, alice: Caller, engine: Engine
) -> None:
    tasks = _prepare(alice, datetime.now(UTC) + timedelta(seconds=2))
    latency = _request_latency(app, alice, tasks[0][0])
    stop, sweep_errors = threading.Event(), []
    sweeper = threading.Thread(target=_sweep_until, args=(container, stop, sweep_errors))
    sweeper.start()

    def complete(numbered: tuple[int, tuple[str, datetime]]) -> tuple[str, int, dict[str, Any]]:
        i, (task_id, deadline) = numbered
        aim = deadline + timedelta(milliseconds=OFFSETS_MS[i % len(OFFSETS_MS)]) - latency
        time.sleep(max(0.0, (aim - datetime.now(UTC)).total_seconds()))
        response = app.test_client().post(f"/tasks/{task_id}/complete_task", headers=alice.headers)
        return task_id, response.status_code, response.get_json()

    try:
        with ThreadPoolExecutor(6) as pool:
            outcomes = list(pool.map(complete, enumerate(tasks)))
        time.sleep(0.05)  # let the sweep pass every deadline once more
    finally:
        stop.set()
        sweeper.join(timeout=10)
    assert not sweep_errors, sweep_errors

    deadlines = dict(tasks)
    with engine.connect() as connection:
        events = connection.execute(
            text(
                "SELECT task_id::text, array_agg(type::text) FROM task_events"
                " WHERE type IN ('completed', 'expired') GROUP BY task_id"
            )
        ).all()
        rows = connection.execute(
            text("SELECT external_id::text, status, completed_at FROM tasks")
        ).all()
    endings = {task_id: sorted(kinds) for task_id, kinds in events}
    stored = {task_id: (status, completed_at) for task_id, status, completed_at in rows}

    for task_id, status_code, body in outcomes:
        assert status_code in (200, 409), (status_code, body)
        status, completed_at = stored[task_id]
        if status_code == 200:
            assert status == "completed"
            assert endings[task_id] == ["completed"]
            assert completed_at < deadlines[task_id]
        else:
            assert status == "failed", body
            assert endings[task_id] == ["expired"]
    assert len(endings) == TASKS
    # Aimed either side of the deadline, both outcomes happen: the race was really run.
    assert {code for _, code, _ in outcomes} == {200, 409}
