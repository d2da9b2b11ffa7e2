"""Where ``/v1`` may answer otherwise than the original's document says: the one list.

Each departure is a correction applied to a copy of the document before fuzzing against it,
with the sentence that justifies it. There are two kinds: the differences we intend (the
README lists them), and the places where the document is wrong about the original's own
behaviour (its answers on the wire, errors included, are what its clients depend on).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

DOCUMENT: Final = Path(__file__).with_name("original-openapi.yaml")

Document = dict[str, Any]
ANY_JSON: Final = {"description": "", "content": {"application/json": {"schema": {}}}}
TOKEN_PAIR: Final = {
    "type": "object",
    "required": ["token"],
    "properties": {
        "token": {
            "type": "object",
            "required": ["access", "refresh"],
            "properties": {"access": {"type": "string"}, "refresh": {"type": "string"}},
        }
    },
}
TASK_MESSAGE: Final = {
    "type": "object",
    "required": ["message", "task"],
    "properties": {"message": {"type": "string"}, "task": {"$ref": "#/components/schemas/Task"}},
}


@dataclass(frozen=True)
class Departure:
    why: str
    correct: Callable[[Document], None]


def _operations(document: Document, *wanted: str) -> Iterator[dict[str, Any]]:
    """The operations ``"METHOD /path"`` named (all of them when none is)."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if not wanted or f"{method.upper()} {path}" in wanted:
                yield operation


def _answers(codes: tuple[str, ...], *wanted: str) -> Callable[[Document], None]:
    def correct(document: Document) -> None:
        for operation in _operations(document, *wanted):
            for code in codes:
                operation["responses"].setdefault(code, ANY_JSON)

    return correct


def _answer_schema(schema: dict[str, Any], code: str, *wanted: str) -> Callable[[Document], None]:
    def correct(document: Document) -> None:
        for operation in _operations(document, *wanted):
            operation["responses"][code]["content"]["application/json"]["schema"] = schema

    return correct


def _numbers_in_user(document: Document) -> None:
    user = document["components"]["schemas"]["User"]["properties"]
    user["completion_percentage"] = {"type": "number", "readOnly": True}
    for total in ("total_tasks_completed", "total_tasks_in_progress", "total_tasks_failed"):
        user[total] = {"type": "integer", "readOnly": True}
    user["meta"] = {"type": "object", "readOnly": True}


def _nullable_assignee(document: Document) -> None:
    task = document["components"]["schemas"]["Task"]["properties"]
    task["assigned_to"] = {
        "nullable": True,
        "allOf": [{"$ref": "#/components/schemas/User"}],
        "readOnly": True,
    }


DEPARTURES: Final = (
    # -- intended differences -------------------------------------------------------------
    Departure(
        "Every operation but /auth/* needs a bearer token: 401 without one, or with one that "
        "no longer works (and a failed login was the original's 401 too).",
        _answers(("401",)),
    ),
    Departure(
        "The authorization table refuses what the caller may not do with 403: editing, "
        "deleting or assigning another's task, completing a task not assigned to one, "
        "changing or deleting another user.",
        _answers(
            ("403",),
            "PATCH /v1/tasks/{external_id}",
            "DELETE /v1/tasks/{external_id}",
            "POST /v1/tasks/assign_task",
            "POST /v1/tasks/{external_id}/complete_task",
            "PATCH /v1/users/{external_id}",
            "DELETE /v1/users/{external_id}",
        ),
    ),
    Departure(
        "The status machine refuses moves it has no arrow for with 409: completing a task "
        "twice or once failed, assigning or editing a finished task.",
        _answers(
            ("409",),
            "POST /v1/tasks/{external_id}/complete_task",
            "POST /v1/tasks/assign_task",
            "PATCH /v1/tasks/{external_id}",
        ),
    ),
    Departure(
        "Repeated failed logins from one address are slowed down: 429 with Retry-After.",
        _answers(("429",), "POST /v1/auth/login"),
    ),
    # -- where the document is wrong about the original ------------------------------------
    Departure(
        "The document declares no error answers at all, yet the original refused invalid "
        "input with 400 and unknown or malformed ids with 404 (as observed on the wire).",
        _answers(("400", "404")),
    ),
    Departure(
        "The document says register and login answer a User; the original answered the "
        'token pair, {"token": {"access", "refresh"}}.',
        lambda document: (
            _answer_schema(TOKEN_PAIR, "201", "POST /v1/auth/register")(document),
            _answer_schema(TOKEN_PAIR, "200", "POST /v1/auth/login")(document),
        ),
    ),
    Departure(
        "The document types a user's statistics and meta as strings; the original wrote "
        "numbers (completion_percentage a float, or the integer 0) and an object of flags.",
        _numbers_in_user,
    ),
    Departure(
        "The document does not declare assigned_to nullable; the original wrote null for "
        "every unassigned task.",
        _nullable_assignee,
    ),
    Departure(
        "The document says complete_task answers a Task and assign_task its own write-only "
        'body; both answered {"message", "task"} in the original.',
        lambda document: (
            _answer_schema(TASK_MESSAGE, "200", "POST /v1/tasks/{external_id}/complete_task")(
                document
            ),
            _answer_schema(TASK_MESSAGE, "200", "POST /v1/tasks/assign_task")(document),
        ),
    ),
)


def corrected() -> Document:
    """The original's document with every departure applied."""
    document: Document = copy.deepcopy(yaml.safe_load(DOCUMENT.read_text()))
    for departure in DEPARTURES:
        departure.correct(document)
    return document
