"""Races run for real: ten threads released together against one app and one connection pool.
Whatever the interleaving, exactly one of them wins and the others get a clean refusal."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from werkzeug.test import TestResponse

from integration.api.support import Caller, in_an_hour

CONTENDERS = 10


def together(app: Flask, call: Callable[[FlaskClient], TestResponse]) -> list[int]:
    """Run ``call(client)`` in ten threads that start at the same instant; their statuses."""
    start = threading.Barrier(CONTENDERS)

    def contender(_: int) -> TestResponse:
        client = app.test_client()
        start.wait(timeout=10)
        return call(client)

    with ThreadPoolExecutor(CONTENDERS) as pool:
        responses = list(pool.map(contender, range(CONTENDERS)))
    for response in responses:
        assert response.is_json, response.get_data(as_text=True)[:300]
    return [response.status_code for response in responses]


def test_ten_concurrent_refreshes_of_one_token_make_exactly_one_new_pair(
    app: Flask, alice: Caller
) -> None:
    statuses = together(
        app, lambda client: client.post("/auth/refresh", json={"refresh": alice.refresh})
    )
    assert Counter(statuses) == {200: 1, 401: CONTENDERS - 1}


def test_ten_concurrent_completes_complete_the_task_once(
    app: Flask, alice: Caller, engine: Engine
) -> None:
    task = alice.create_task(deadline=in_an_hour())
    path = f"/tasks/{task['external_id']}"
    assigned = alice.post(
        "/tasks/assign_task", json={"user_id": alice.user_id, "task_id": task["external_id"]}
    )
    assert assigned.status_code == 200

    statuses = together(
        app, lambda client: client.post(f"{path}/complete_task", headers=alice.headers)
    )

    assert Counter(statuses) == {200: 1, 409: CONTENDERS - 1}
    assert alice.get(path).get_json()["status"] == "completed"
    with engine.connect() as connection:
        completions = connection.execute(
            text("SELECT count(*) FROM task_events WHERE task_id = :id AND type = 'completed'"),
            {"id": task["external_id"]},
        ).scalar_one()
    assert completions == 1
