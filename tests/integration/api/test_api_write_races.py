"""Two writes made against one ETag at once, on real connections: the version is compared
under the row's lock, so exactly one of them changes the task and the other is told it is
stale.

The interleaving is forced: a transaction holds the task's row lock until both requests are
waiting for it (PostgreSQL says so), then lets them go.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from sqlalchemy import Engine, text

from integration.api.support import Caller

_WAITING = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


def _until_waiting(engine: Engine, sessions: int, timeout: float = 10.0) -> None:
    give_up = time.monotonic() + timeout
    while time.monotonic() < give_up:
        with engine.connect() as connection:
            if connection.execute(_WAITING).scalar_one() >= sessions:
                return
        time.sleep(0.02)
    raise AssertionError("the requests did not both wait for the lock: nothing was raced")


def test_two_patches_with_one_etag_at_once_one_wins_one_is_412(
    app: Flask, engine: Engine, alice: Caller
) -> None:
    task = alice.create_task()
    path = f"/tasks/{task['external_id']}"
    etag = alice.get(path).headers["ETag"]

    def patch(name: str) -> tuple[int, str]:
        client = app.test_client()  # one per thread, each its own connection from the pool
        headers = {**alice.headers, "If-Match": etag}
        response = client.patch(path, json={"name": name}, headers=headers)
        return response.status_code, response.headers["ETag"]

    with ThreadPoolExecutor(2) as pool, engine.begin() as holder:
        holder.execute(
            text("SELECT 1 FROM tasks WHERE external_id = :id FOR UPDATE"),
            {"id": task["external_id"]},
        )
        racing = [pool.submit(patch, name) for name in ("First", "Second")]
        _until_waiting(engine, 2)
        holder.commit()
        answers = sorted(future.result(timeout=10) for future in racing)

    assert answers == [(200, '"2"'), (412, '"2"')]
    assert alice.get(path).get_json()["name"] in {"First", "Second"}
