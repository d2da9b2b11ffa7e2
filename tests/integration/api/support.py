"""Helpers for the HTTP API tests: a signed-in caller, a clock tests can move, checks of the
error body."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

SECRET = "integration-tests-secret-of-more-than-32-bytes"
PASSWORD = "a good password"
#: The keys of a page of tasks or users.
ENVELOPE = {
    "has_previous",
    "has_next",
    "count",
    "offset",
    "limit",
    "results",
    "next_cursor",
    "previous_cursor",
}


class MovableClock:
    """The real time, plus an offset a test may move forward (to pass a deadline)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@dataclass
class Caller:
    """A signed-up person calling the API with their bearer token."""

    client: FlaskClient
    user_id: str
    email: str
    access: str
    refresh: str
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.access}"}

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.get(path, headers=self.headers, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.client.post(path, json=json, headers=self.headers, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> TestResponse:
        return self.client.patch(path, json=json, headers=self.headers, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.client.delete(path, headers=self.headers, **kwargs)

    def create_task(self, **body: Any) -> dict[str, Any]:
        response = self.post("/tasks", json={"name": "A task", **body})
        assert response.status_code == 201, response.get_json()
        task: dict[str, Any] = response.get_json()
        return task


#: Signs a new person up: ``sign_up(name=None, email=None) -> Caller``.
SignUp = Callable[..., Caller]


def user_id_of(access_token: str) -> str:
    claims = jwt.decode(access_token, options={"verify_signature": False})
    return str(claims["sub"])


PROBLEM = "application/problem+json"
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "errors"}


def error_of(response: TestResponse, code: int) -> dict[str, Any]:
    """The problem details (RFC 9457) of ``response``, checked against the contract's shape."""
    assert response.status_code == code, (response.status_code, response.get_data(as_text=True))
    assert response.mimetype == PROBLEM, response.content_type
    body: dict[str, Any] = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body) <= PROBLEM_KEYS, body
    assert body["status"] == code
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


def fields_of(problem: dict[str, Any]) -> dict[str, list[str]]:
    """A problem's validation errors by field, ``{"name": ["..."]}`` (each pointer without
    its leading slash)."""
    by_field: dict[str, list[str]] = {}
    for error in problem.get("errors", []):
        by_field.setdefault(error["pointer"].lstrip("/"), []).append(error["detail"])
    return by_field


def in_an_hour() -> str:
    return (datetime.now(UTC) + timedelta(hours=1)).isoformat()
