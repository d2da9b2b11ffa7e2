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
    return [response.status_code for response in answers_together(app, call)]


def answers_together(app: Flask, call: Callable[[FlaskClient], TestResponse]) -> list[TestResponse]:
    """Run ``call(client)`` in ten threads that start at the same instant; their answers."""
    start = threading.Barrier(CONTENDERS)

    def contender(_: int) -> TestResponse:
        client = app.test_client()
        start.wait(timeout=10)
        return call(client)

    with ThreadPoolExecutor(CONTENDERS) as pool:
        responses = list(pool.map(contender, range(CONTENDERS)))
    for response in responses:
        assert response.is_json, response.get_data(as_text=True)[:300]
    return responses


def test_ten_concurrent_refreshes_of_one_token_make_exactly_one_new_pair(
    app: Flask, alice: Caller
) -> None:
    answers = answers_together(
        app, lambda client: client.post("/auth/refresh", json={"refresh": alice.refresh})
    )
    assert Counter(answer.status_code for answer in answers) == {200: 1, 401: CONTENDERS - 1}
    # The losers were the client racing itself, not a thief: the winner's pair lives on.
    [won] = [answer.get_json()["token"] for answer in answers if answer.status_code == 200]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {won['access']}"}
    assert client.get("/tasks", headers=headers).status_code == 200
    assert client.post("/auth/refresh", json={"refresh": won["refresh"]}).status_code == 200


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
