"""Property-based fuzzing of every operation against the app's own OpenAPI document.

schemathesis generates requests from /openapi.json — valid ones and invalid ones — and sends
them in process, as an authenticated user, over a database with users and tasks in it. No
answer may be a 5xx, and every answer must conform to the document: status code, content
type, headers and body; invalid requests must be refused with a 4xx.

Each operation runs with generated data in both modes, and operations on one record run
once more aimed at real records, so that success answers are exercised as well as 404s.

(schemathesis's own pytest loader for fixture-built apps, ``from_fixture``, fails on pytest 9
— it reads a private attribute pytest no longer has — so the strategies are driven here
directly with Hypothesis.)
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from integration.api.support import Caller, SignUp, in_an_hour

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
#: Examples per operation, mode and target: well under a minute for the whole API here.
EXAMPLES = 60


@pytest.fixture
def targets(alice: Caller, bob: Caller) -> dict[str, str]:
    """Real ids for the path parameters: a task of Alice's (assigned to her, so that she may
    start and complete it) and another user (Bob, whom she may read but not change)."""
    for n in range(3):
        task = alice.create_task(name=f"Seed {n}", deadline=in_an_hour(), type="urgent")
        alice.post(
            "/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task["external_id"]}
        )
    own = alice.create_task(name="Alice's own", deadline=in_an_hour())
    alice.post("/tasks/assign_task", json={"user_id": alice.user_id, "task_id": own["external_id"]})
    hook = alice.post(
        "/webhooks", json={"url": "http://127.0.0.1:9/hooks", "event_types": ["task.created"]}
    )
    assert hook.status_code == 201, hook.get_json()
    return {"/tasks": own["external_id"], "/users": bob.user_id, "/webhooks": hook.get_json()["id"]}


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str], ids: Any) -> None:
    strategy = operation.as_strategy(mode, headers=headers, path_parameters=ids)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_every_operation_honours_the_spec(
    app: Flask, alice: Caller, targets: dict[str, str], sign_up: SignUp
) -> None:
    throwaway = sign_up("Throwaway")
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    # With /auth/logout, /users/me, /livez, /readyz and the eight of /webhooks.
    assert len(operations) == 30
    for operation in operations:
        real = next(
            (
                {"external_id": target}
                for prefix, target in targets.items()
                if operation.path.startswith(f"{prefix}/{{external_id}}")
            ),
            None,
        )
        if operation.path.startswith("/webhooks/{webhook_id}"):
            real = {"webhook_id": targets["/webhooks"]}
        runs = [(GenerationMode.POSITIVE, None)]
        if len(operation.path_parameters) or len(operation.query) or len(operation.body):
            runs.append((GenerationMode.NEGATIVE, None))  # else there is nothing to break
        if real:
            # Negative runs need something to break: with the id fixed, some have nothing.
            runs.append((GenerationMode.POSITIVE, real))
        # Logging out ends the login it is sent with: it gets a login of its own.
        headers = throwaway.headers if operation.path == "/auth/logout" else alice.headers
        for mode, ids in runs:
            try:
                _fuzz(operation, mode, headers, ids)
            except Exception as error:  # every operation gets its turn; all failures reported
                failures.append(f"{operation.label} [{mode.value}, ids={ids}]: {error}")
    assert not failures, "\n\n".join(failures)
