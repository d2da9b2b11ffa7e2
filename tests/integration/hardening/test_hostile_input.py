"""Whatever arrives over HTTP, the answer is a JSON 4xx (or the normal success), never a 5xx
and never an HTML page."""

from __future__ import annotations

import io
import json

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from integration.api.support import Caller, error_of, in_an_hour

HUGE_INT = "9" * 400
NUL = "\x00"


def refused(response: TestResponse) -> dict[str, object]:
    """A 4xx with the contract's JSON error body."""
    assert 400 <= response.status_code < 500, (
        response.status_code,
        response.get_data(as_text=True)[:300],
    )
    return error_of(response, response.status_code)


@pytest.mark.parametrize(
    "body",
    [
        {"name": f"before{NUL}after"},
        {"name": "fine", "description": f"{NUL}{NUL}"},
        {"name": "x" * 200_000},
        {"name": "fine", "description": "y" * 500_000},
        {"name": int(HUGE_INT)},
        {"name": "fine", "deadline": f"{HUGE_INT}-01-01T00:00:00Z"},
        {"name": "fine", "deadline": "9999-12-31T23:59:59-23:59"},
        {"name": "fine", "type": "x" * 100_000},
        {"name": {"a": {"b": {"c": [1, 2, {"d": None}]}}}},
        {"name": "\ud800"},
    ],
    ids=[
        "nul-in-name",
        "nul-in-description",
        "huge-name",
        "huge-description",
        "huge-integer-name",
        "huge-year",
        "year-overflowing-utc",
        "huge-enum",
        "nested-object-as-name",
        "lone-surrogate",
    ],
)
def test_hostile_task_bodies_are_refused_with_json(alice: Caller, body: dict[str, object]) -> None:
    refused(alice.post("/tasks", json=body))


def test_nul_bytes_in_sign_up_fields_are_refused(client: FlaskClient) -> None:
    for field in ("email", "name", "password", "password2"):
        body = {
            "email": "a@example.com",
            "name": "A",
            "password": "long enough",
            "password2": "long enough",
        }
        body[field] = f"{body[field]}{NUL}"
        if field.startswith("password"):
            body["password"] = body["password2"] = f"long{NUL}enough"
        refused(client.post("/auth/register", json=body))


def test_a_body_over_the_size_limit_is_413_json(alice: Caller) -> None:
    body = json.dumps({"name": "x" * (2 * 1024 * 1024)})
    response = alice.client.post(
        "/tasks", data=body, content_type="application/json", headers=alice.headers
    )
    assert error_of(response, 413)


def test_deeply_nested_json_is_a_400_not_a_crash(alice: Caller) -> None:
    depth = 100_000
    body = "[" * depth + "]" * depth
    response = alice.client.post(
        "/tasks", data=body, content_type="application/json", headers=alice.headers
    )
    refused(response)


def test_deep_but_parseable_nesting_in_a_field_is_a_422(alice: Caller) -> None:
    nested: object = "leaf"
    for _ in range(500):
        nested = {"k": nested}
    refused(alice.post("/tasks", json={"name": nested}))


def test_invalid_utf8_and_non_json_bodies_are_400(alice: Caller) -> None:
    for data in (b"\xff\xfe{", b'{"name": "a\x00', b"not json", b"\x00" * 64):
        response = alice.client.post(
            "/tasks", data=data, content_type="application/json", headers=alice.headers
        )
        refused(response)


@pytest.mark.parametrize(
    "query",
    [
        f"offset={HUGE_INT}",
        f"limit={HUGE_INT}&offset={HUGE_INT}",
        "offset=9223372036854775808",
        "limit=-1",
        f"limit=-{HUGE_INT}",
        "limit=1e309",
        "offset=NaN",
        f"status=pending{NUL}",
        f"assigned_to={NUL}",
        "assigned_to=" + "f" * 50_000,
        "order_by=" + "-" * 10_000,
        f"type={'x' * 20_000}",
        f"external_id=%00{'a' * 100}",
    ],
)
def test_hostile_list_parameters_are_refused(alice: Caller, query: str) -> None:
    refused(alice.get(f"/tasks?{query}"))


def test_a_huge_limit_is_capped_not_an_error(alice: Caller) -> None:
    for path in (f"/tasks?limit={HUGE_INT}", f"/users?limit={HUGE_INT}"):
        response = alice.get(path)
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["limit"] == 100


@pytest.mark.parametrize(
    "path",
    ["/tasks/%00", "/tasks/" + "a" * 10_000, "/users/%00%00", f"/tasks/{NUL}/start_task"],
)
def test_hostile_paths_are_404_json(alice: Caller, path: str) -> None:
    response = alice.get(path) if "start" not in path else alice.post(path)
    refused(response)


def test_hostile_authorization_headers_are_401_json(client: FlaskClient) -> None:
    for value in ("Bearer " + "a" * 100_000, "Bearer a.b.c", "Bearer \t", "Basic Zm9vOmJhcg=="):
        refused(client.get("/tasks", headers={"Authorization": value}))


def test_hostile_ids_in_actions_are_refused(alice: Caller) -> None:
    task = alice.create_task(deadline=in_an_hour())
    for user_id in (NUL, "x" * 100_000, int(HUGE_INT), None, ["a"]):
        refused(
            alice.post(
                "/tasks/assign_task", json={"user_id": user_id, "task_id": task["external_id"]}
            )
        )


#: Past Python's limit on converting digits to an int (4,300): the JSON parser itself raises.
OVER_THE_DIGIT_LIMIT = "7" * 5000


@pytest.mark.parametrize(
    ("method", "path", "needs_token"),
    [
        ("post", "/auth/login", False),
        ("post", "/auth/register", False),
        ("post", "/auth/refresh", False),
        ("post", "/tasks", True),
        ("patch", "/tasks/{task}", True),
        ("post", "/tasks/assign_task", True),
        ("post", "/users", True),
        ("patch", "/users/{me}", True),
    ],
)
def test_an_integer_past_the_digit_limit_is_a_400_on_every_json_endpoint(
    alice: Caller, method: str, path: str, needs_token: bool
) -> None:
    task = alice.create_task(deadline=in_an_hour())
    url = path.format(task=task["external_id"], me=alice.user_id)
    body = '{"email": "a@example.com", "name": ' + OVER_THE_DIGIT_LIMIT + "}"
    response = getattr(alice.client, method)(
        url,
        data=body,
        content_type="application/json",
        headers=alice.headers if needs_token else {},
    )
    assert error_of(response, 400)["detail"] == "Invalid JSON body."


def test_a_chunked_body_over_the_size_limit_is_413_json(alice: Caller) -> None:
    """No Content-Length to refuse up front: the limit applies while the body streams in.
    (The server says it ends the stream itself, as gunicorn does for chunked bodies.)"""
    body = json.dumps({"name": "x" * (2 * 1024 * 1024)}).encode()
    response = alice.client.post(
        "/tasks",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={**alice.headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert error_of(response, 413)


def test_a_chunked_body_within_the_limit_is_read_whole(alice: Caller) -> None:
    response = alice.client.post(
        "/tasks",
        input_stream=io.BytesIO(json.dumps({"name": "Streamed"}).encode()),
        content_type="application/json",
        headers={**alice.headers, "Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == "Streamed"
