"""Idempotency-Key races, on real connections: a retry sent while the first request is still
running is refused at once (409), and exactly one of them has an effect.

The first request is held in flight deterministically: a transaction of the test holds the
task's row lock until that request waits for it (PostgreSQL says so)."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from sqlalchemy import Engine, text
from werkzeug.test import TestResponse

from integration.api.support import Caller, error_of
from integration.api.test_api_idempotency import KEY, answer_of, keyed

_WAITING = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)
_LOCK_TASK = text("SELECT 1 FROM tasks WHERE external_id = :id FOR UPDATE")


def _until_waiting(engine: Engine, timeout: float = 10.0) -> None:
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        with engine.connect() as connection:
            if connection.execute(_WAITING).scalar_one() >= 1:
                return
        time.sleep(0.02)
    raise AssertionError("the first request never waited for the lock: nothing was raced")


def test_a_retry_while_the_first_runs_is_409_and_the_first_still_answers(
    app: Flask, engine: Engine, alice: Caller
) -> None:
    task = alice.create_task()
    alice.post(
        "/tasks/assign_task", json={"task_id": task["external_id"], "user_id": alice.user_id}
    )
    path = f"/tasks/{task['external_id']}/start_task"

    def send() -> TestResponse:
        client = app.test_client()  # its own thread, its own connection from the pool
        return client.post(path, headers={**alice.headers, "Idempotency-Key": KEY})

    with ThreadPoolExecutor(2) as pool, engine.begin() as holder:
        holder.execute(_LOCK_TASK, {"id": task["external_id"]})
        first = pool.submit(send)
        _until_waiting(engine)
        # Refused at once, not queued behind the first (which waits as long as we hold on).
        in_flight = pool.submit(send).result(timeout=5)
        holder.commit()
        answered = first.result(timeout=10)

    assert "still being processed" in error_of(in_flight, 409)["message"]
    assert (answered.status_code, answered.get_json()["task"]["status"]) == (200, "in_progress")
    replay = keyed(alice, path)
    assert replay.status_code == 200  # the first answer, not "already started" (409)
    assert answer_of(replay) == answer_of(keyed(alice, path))
    events = alice.get(f"/tasks/{task['external_id']}/history").get_json()["results"]
    assert [event["type"] for event in events].count("started") == 1
