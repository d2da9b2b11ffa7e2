"""Idempotency-Key races, on real connections: a retry sent while the first request is still
running is refused at once (409), and exactly one of them has an effect.

The first request is held in flight deterministically: a transaction of the test holds the
task's row lock until that request waits for it (PostgreSQL says so). Then identical requests
race for real, over HTTP to a live threaded server."""

from __future__ import annotations

import http.client
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from sqlalchemy import Engine, text
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from integration.api.keyed import KEY, answer_of, keyed
from integration.api.support import Caller, error_of

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

    assert "still being processed" in error_of(in_flight, 409)["detail"]
    assert (answered.status_code, answered.get_json()["task"]["status"]) == (200, "in_progress")
    replay = keyed(alice, path)
    assert replay.status_code == 200  # the first answer, not "already started" (409)
    assert answer_of(replay) == answer_of(keyed(alice, path))
    events = alice.get(f"/tasks/{task['external_id']}/history").get_json()["results"]
    assert [event["type"] for event in events].count("started") == 1


def test_identical_keyed_posts_at_once_on_a_live_server_create_one_task(
    app: Flask, engine: Engine, alice: Caller
) -> None:
    """Eight clients send one keyed create together, over HTTP to a threaded server: one
    creates, each of the others is told it is in flight (409) or replayed, byte for byte."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    together = threading.Barrier(8)
    body = json.dumps({"name": "Once, however often it is sent"}).encode()
    headers = {**alice.headers, "Idempotency-Key": KEY, "Content-Type": "application/json"}

    def send() -> tuple[int, bytes]:
        together.wait(timeout=10)
        return send_alone(server.server_port, body, headers)

    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: send(), range(8)))
        retry = send_alone(server.server_port, body, headers)
    finally:
        server.shutdown()
        serving.join(timeout=10)

    created = {content for status, content in answers if status == 201}
    assert len(created) == 1  # one answer, however many got it
    assert {status for status, _ in answers} <= {201, 409}
    assert retry == (201, created.pop())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM tasks")).scalar_one() == 1


def send_alone(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", "/tasks", body=body, headers=headers)
    answer = connection.getresponse()
    result = answer.status, answer.read()
    connection.close()
    return result
