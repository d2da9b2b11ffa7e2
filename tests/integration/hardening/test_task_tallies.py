"""The task tallies behind page counts and user statistics stay exactly equal to counting the
tasks, whatever the writes, their concurrency, or a TRUNCATE."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from flask import Flask
from sqlalchemy import Engine, text

from entrypoints.container import Container
from integration.api.support import Caller, MovableClock, SignUp, in_an_hour

_DIRECT = text(
    "SELECT coalesce(assigned_to, '00000000-0000-0000-0000-000000000000'::uuid)::text,"
    " status, type, count(*) FROM tasks WHERE deleted_at IS NULL GROUP BY 1, 2, 3"
)
_TALLIED = text(
    "SELECT assignee::text, status, type, sum(tasks) FROM task_tallies"
    " GROUP BY 1, 2, 3 HAVING sum(tasks) <> 0"
)


def tallies_match(engine: Engine) -> dict[tuple[str, str, str], int]:
    with engine.connect() as connection:
        direct = {tuple(row[:3]): row[3] for row in connection.execute(_DIRECT)}
        tallied = {tuple(row[:3]): row[3] for row in connection.execute(_TALLIED)}
    assert tallied == direct
    return direct


def test_every_kind_of_write_keeps_the_tallies_exact(
    alice: Caller, sign_up: SignUp, container: Container, clock: MovableClock, engine: Engine
) -> None:
    bob = sign_up("Bob", "bob@example.com")
    ids = [
        alice.create_task(type=kind, deadline=in_an_hour())["external_id"]
        for kind in ("urgent", "normal", "low", "normal", "urgent", "low")
    ]
    for task_id, worker in zip(ids, (alice, bob, alice, bob, alice, bob), strict=True):
        assert (
            worker.post(
                "/tasks/assign_task", json={"user_id": worker.user_id, "task_id": task_id}
            ).status_code
            == 200
        )
    assert alice.post(f"/tasks/{ids[0]}/start_task").status_code == 200
    assert alice.post(f"/tasks/{ids[2]}/complete_task").status_code == 200
    assert alice.patch(f"/tasks/{ids[4]}", json={"type": "low"}).status_code == 200
    assert alice.delete(f"/tasks/{ids[5]}").status_code == 204
    tallies_match(engine)

    clock.advance(timedelta(hours=2))
    assert container.expire_overdue()().failed == 4  # every open one: started, pending, edited
    counts = tallies_match(engine)
    assert sum(n for (_, status, _), n in counts.items() if status == "failed") == 4


def test_concurrent_writers_never_deadlock_and_stay_exact(
    app: Flask, sign_up: SignUp, engine: Engine, container: Container
) -> None:
    workers = [sign_up(f"Worker {n}", f"worker{n}@example.com") for n in range(4)]
    start = threading.Barrier(len(workers))

    def work(caller: Caller) -> list[int]:
        client = app.test_client()
        start.wait(timeout=10)
        statuses = []
        for n in range(12):
            created = client.post(
                "/tasks",
                json={"name": f"t{n}", "type": ("low", "normal", "urgent")[n % 3]},
                headers=caller.headers,
            )
            task_id = created.get_json()["external_id"]
            steps = [
                ("post", "/tasks/assign_task", {"user_id": caller.user_id, "task_id": task_id}),
                ("post", f"/tasks/{task_id}/start_task", None),
                ("post", f"/tasks/{task_id}/complete_task", None)
                if n % 2
                else ("delete", f"/tasks/{task_id}", None),
            ]
            statuses.append(created.status_code)
            for method, path, body in steps[: 1 + n % 3]:
                response = getattr(client, method)(path, json=body, headers=caller.headers)
                statuses.append(response.status_code)
        return statuses

    sweeping = threading.Event()

    def sweep() -> None:
        while not sweeping.is_set():
            container.expire_overdue()()

    sweeper = threading.Thread(target=sweep)
    sweeper.start()
    try:
        with ThreadPoolExecutor(len(workers)) as pool:
            results = [status for statuses in pool.map(work, workers) for status in statuses]
    finally:
        sweeping.set()
        sweeper.join(timeout=10)
    assert set(results) <= {200, 201, 204}, Counter(results)
    tallies_match(engine)


def test_truncating_tasks_empties_the_tallies(alice: Caller, engine: Engine) -> None:
    alice.create_task()
    with engine.begin() as connection:
        # CASCADE: the webhook outbox refers to tasks.
        connection.execute(text("TRUNCATE task_events, tasks CASCADE"))
    assert tallies_match(engine) == {}


def test_one_writer_at_a_time_leaves_one_row_per_key(alice: Caller, engine: Engine) -> None:
    task_id = alice.create_task(deadline=in_an_hour())["external_id"]
    for n in range(150):  # each type change moves the task from one key to the other
        assert (
            alice.patch(f"/tasks/{task_id}", json={"type": ("low", "normal")[n % 2]}).status_code
            == 200
        )
    tallies_match(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM task_tallies")).scalar_one()
    assert rows == 1  # the task's key; the key it left sums to zero and has no row
