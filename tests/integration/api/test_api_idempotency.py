"""Idempotency-Key on POST: a retry gets the first answer and changes nothing more; a key is
its caller's, names one request, and is forgotten after IDEMPOTENCY_TTL_SECONDS."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy import exc as sa_exc

from adapters.sqlalchemy.idempotency import SqlIdempotencyStore
from adapters.sqlalchemy.read import SqlTaskQueries
from adapters.sqlalchemy.tables import idempotency_keys, tasks
from integration.api.keyed import KEY, answer_of, keyed
from integration.api.support import Caller, MovableClock, error_of


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_retry_gets_the_same_answer_and_creates_nothing(alice: Caller, engine: Engine) -> None:
    first = keyed(alice, "/tasks", {"name": "Once"})
    retry = keyed(alice, "/tasks", {"name": "Once"})

    assert first.status_code == 201
    assert answer_of(retry) == answer_of(first)
    assert first.headers["ETag"] == '"1"'
    assert count(engine, tasks) == 1


def test_a_refusal_is_replayed_even_once_the_request_would_succeed(
    alice: Caller, bob: Caller
) -> None:
    task = alice.create_task()
    path = f"/tasks/{task['external_id']}/start_task"
    refused = keyed(alice, path)
    error_of(refused, 403)  # not hers to start
    alice.post(
        "/tasks/assign_task", json={"task_id": task["external_id"], "user_id": alice.user_id}
    )

    retry = keyed(alice, path)

    assert answer_of(retry) == answer_of(refused)
    assert alice.get(f"/tasks/{task['external_id']}").get_json()["status"] == "pending"


def test_a_validation_error_is_kept_too(alice: Caller, engine: Engine) -> None:
    refused = keyed(alice, "/tasks", {"name": ""})
    error_of(refused, 422)
    assert answer_of(keyed(alice, "/tasks", {"name": ""})) == answer_of(refused)
    assert count(engine, idempotency_keys) == 1


def test_the_same_key_on_another_payload_is_422(alice: Caller, engine: Engine) -> None:
    keyed(alice, "/tasks", {"name": "First"})
    reused = keyed(alice, "/tasks", {"name": "Second"})
    assert [e["pointer"] for e in error_of(reused, 422)["errors"]] == ["/Idempotency-Key"]
    assert count(engine, tasks) == 1


def test_the_same_key_on_another_dialect_of_the_path_is_refused(alice: Caller) -> None:
    """``/v1`` renders the refusal as the original rendered invalid input: a 400 by field."""
    keyed(alice, "/tasks", {"name": "First"})
    reused = keyed(alice, "/v1/tasks", {"name": "First"})
    assert reused.status_code == 400
    assert list(reused.get_json()) == ["Idempotency-Key"]


def test_another_callers_identical_key_is_theirs(
    alice: Caller, bob: Caller, engine: Engine
) -> None:
    mine = keyed(alice, "/tasks", {"name": "Same"})
    theirs = keyed(bob, "/tasks", {"name": "Same"})
    assert theirs.status_code == 201
    assert theirs.get_json()["external_id"] != mine.get_json()["external_id"]
    assert count(engine, tasks) == 2


def test_a_key_is_new_again_after_its_time(
    alice: Caller, clock: MovableClock, engine: Engine
) -> None:
    keyed(alice, "/tasks", {"name": "Yesterday"})
    clock.advance(timedelta(hours=24))
    again = keyed(alice, "/tasks", {"name": "Today"})
    assert again.status_code == 201
    assert again.get_json()["name"] == "Today"
    assert count(engine, tasks) == 2


def test_a_key_still_answers_just_before_its_time(alice: Caller, clock: MovableClock) -> None:
    first = keyed(alice, "/tasks", {"name": "Kept"})
    clock.advance(timedelta(hours=24) - timedelta(seconds=5))
    assert answer_of(keyed(alice, "/tasks", {"name": "Kept"})) == answer_of(first)


def test_a_crash_between_the_effect_and_the_kept_answer_leaves_neither(
    alice: Caller, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the process died before the answer was kept")

    with monkeypatch.context() as patched:
        patched.setattr(SqlIdempotencyStore, "keep", crash)
        with pytest.raises(RuntimeError):
            keyed(alice, "/tasks", {"name": "Lost"})
    assert (count(engine, tasks), count(engine, idempotency_keys)) == (0, 0)

    assert keyed(alice, "/tasks", {"name": "Lost"}).status_code == 201  # the retry runs
    assert count(engine, tasks) == 1


def test_a_server_error_is_not_kept_and_undoes_the_request(
    alice: Caller, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def lost(*args: Any) -> None:
        raise sa_exc.OperationalError("SELECT", {}, Exception("server closed the connection"))

    with monkeypatch.context() as patched:
        patched.setattr(SqlTaskQueries, "get", lost)  # after the task was created
        error_of(keyed(alice, "/tasks", {"name": "Undone"}), 503)
    assert (count(engine, tasks), count(engine, idempotency_keys)) == (0, 0)

    assert keyed(alice, "/tasks", {"name": "Undone"}).status_code == 201
    assert count(engine, tasks) == 1


@pytest.mark.parametrize(
    "key",
    [
        "8e03978e-40d5-43e8-bc93-6894a57f9324",  # a token, not a string
        '""',
        '"unterminated',
        '"a" "b"',
        '"a", "b"',
        '"bad \\escape"',
        '"' + "k" * 256 + '"',
    ],
)
def test_a_malformed_key_is_400(alice: Caller, key: str, engine: Engine) -> None:
    error_of(keyed(alice, "/tasks", {"name": "Never"}, key=key), 400)
    assert count(engine, tasks) == 0


def test_a_key_of_escapes_and_the_longest_key_are_taken(alice: Caller) -> None:
    assert keyed(alice, "/tasks", {"name": "A"}, key='"say \\"hi\\" \\\\o/"').status_code == 201
    assert keyed(alice, "/tasks", {"name": "B"}, key='"' + "k" * 255 + '"').status_code == 201


def test_two_key_fields_are_400(alice: Caller) -> None:
    headers = [*alice.headers.items(), ("Idempotency-Key", '"a"'), ("Idempotency-Key", '"b"')]
    response = alice.client.post("/tasks", json={"name": "Never"}, headers=headers)
    error_of(response, 400)


@pytest.mark.parametrize("path", ["/auth/register", "/auth/login", "/auth/refresh"])
def test_the_operations_that_issue_tokens_refuse_a_key(
    alice: Caller, path: str, engine: Engine
) -> None:
    body = {
        "/auth/register": {
            "email": "new@example.com",
            "name": "New",
            "password": "a good password",
            "password2": "a good password",
        },
        "/auth/login": {"email": alice.email, "password": "a good password"},
        "/auth/refresh": {"refresh": alice.refresh},
    }[path]
    response = alice.client.post(path, json=body, headers={"Idempotency-Key": KEY})
    assert "Idempotency-Key" in error_of(response, 400)["detail"]
    assert count(engine, idempotency_keys) == 0
    if path == "/auth/refresh":  # the refresh token was not spent
        assert alice.client.post(path, json=body).status_code == 200


def test_a_write_that_takes_no_key_refuses_one(alice: Caller) -> None:
    task = alice.create_task()
    response = alice.client.patch(
        f"/tasks/{task['external_id']}",
        json={"name": "Renamed"},
        headers={**alice.headers, "Idempotency-Key": KEY},
    )
    error_of(response, 400)
    assert alice.get(f"/tasks/{task['external_id']}").get_json()["name"] == "A task"


def test_a_read_ignores_a_key(alice: Caller) -> None:
    response = alice.client.get("/tasks", headers={**alice.headers, "Idempotency-Key": KEY})
    assert response.status_code == 200


def test_a_keyed_request_without_a_token_is_401_and_keeps_nothing(
    alice: Caller, engine: Engine
) -> None:
    response = alice.client.post("/tasks", json={"name": "x"}, headers={"Idempotency-Key": KEY})
    error_of(response, 401)
    assert count(engine, idempotency_keys) == 0


def test_without_a_key_every_post_runs(alice: Caller, engine: Engine) -> None:
    alice.create_task(name="Twice")
    alice.create_task(name="Twice")
    assert (count(engine, tasks), count(engine, idempotency_keys)) == (2, 0)
