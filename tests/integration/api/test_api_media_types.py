"""Operations that take a JSON body take nothing else: a form, a file upload or plain text is
a 415, never read as an empty object."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient

from integration.api.support import Caller, error_of, fields_of, in_an_hour

NOT_JSON = ["form", "multipart", "text", "no-content-type"]


def body(kind: str) -> dict[str, Any]:
    """A body of ``kind`` saying status=completed, as keyword arguments of the test client
    (made anew each time: the client closes the files it uploads)."""
    return {
        "form": {"data": {"status": "completed"}},
        "multipart": {"data": {"status": "completed", "file": (io.BytesIO(b"x"), "a.txt")}},
        "text": {"data": "status=completed", "content_type": "text/plain"},
        "no-content-type": {"data": b'{"status": "completed"}'},
    }[kind]


@pytest.mark.parametrize("kind", NOT_JSON)
def test_a_patch_with_a_body_that_is_not_json_is_415_and_changes_nothing(
    alice: Caller, kind: str
) -> None:
    task = alice.create_task(deadline=in_an_hour())
    path = f"/tasks/{task['external_id']}"
    response = alice.client.patch(path, headers=alice.headers, **body(kind))
    assert "application/json" in error_of(response, 415)["detail"]
    assert alice.get(path).get_json() == task


@pytest.mark.parametrize("kind", NOT_JSON)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/auth/login"),
        ("post", "/auth/register"),
        ("post", "/auth/refresh"),
        ("post", "/tasks"),
        ("post", "/tasks/assign_task"),
        ("post", "/users"),
        ("patch", "/users/{me}"),
    ],
)
def test_every_json_operation_refuses_other_bodies_with_415(
    alice: Caller, method: str, path: str, kind: str
) -> None:
    call = getattr(alice.client, method)
    error_of(call(path.format(me=alice.user_id), headers=alice.headers, **body(kind)), 415)


def test_a_chunked_body_that_is_not_json_is_415(alice: Caller) -> None:
    response = alice.client.post(
        "/tasks",
        input_stream=io.BytesIO(b"name=x"),
        headers={**alice.headers, "Transfer-Encoding": "chunked"},
        content_type="application/x-www-form-urlencoded",
    )
    error_of(response, 415)


def test_json_with_a_suffix_or_a_charset_is_json(alice: Caller) -> None:
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        response = alice.client.post(
            "/tasks", data='{"name": "Typed"}', content_type=content_type, headers=alice.headers
        )
        assert response.status_code == 201, response.get_json()


def test_an_empty_json_body_is_still_an_empty_object(alice: Caller) -> None:
    """Nothing to refuse: a JSON body-less POST fails validation as before."""
    response = alice.client.post("/tasks", content_type="application/json", headers=alice.headers)
    assert "name" in fields_of(error_of(response, 422))


def test_no_body_at_all_is_no_body(alice: Caller) -> None:
    assert "name" in fields_of(error_of(alice.client.post("/tasks", headers=alice.headers), 422))


def test_actions_without_a_body_keep_working(alice: Caller) -> None:
    task = alice.create_task(deadline=in_an_hour())
    assign = {"task_id": task["external_id"], "user_id": alice.user_id}
    assert alice.post("/tasks/assign_task", json=assign).status_code == 200
    for action in ("start_task", "complete_task"):
        response = alice.client.post(
            f"/tasks/{task['external_id']}/{action}", headers=alice.headers
        )
        assert response.status_code == 200, response.get_json()


def test_anonymous_callers_of_protected_operations_still_get_401(client: FlaskClient) -> None:
    error_of(client.post("/tasks", data={"name": "x"}), 401)
