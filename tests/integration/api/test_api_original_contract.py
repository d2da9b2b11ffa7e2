"""/v1 conforms to the original service's own OpenAPI document, but for the departures listed
in :mod:`contract.departures`.

schemathesis generates requests from that document and sends them in process to /v1, as an
authenticated user, over a database with users and tasks in it. No answer may be a 5xx, and
every answer's status code and body must be what the (corrected) document declares. Each
operation also runs aimed at real records, so that success answers are checked, not only
404s.
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
    response_schema_conformance,
    status_code_conformance,
)

from contract.departures import DEPARTURES, corrected
from integration.api.support import Caller, in_an_hour

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = 40


@pytest.fixture
def targets(alice: Caller, bob: Caller) -> dict[str, str]:
    """A task of Alice's assigned to her (she may start and complete it), and Bob."""
    for n in range(3):
        task = alice.create_task(name=f"Seed {n}", deadline=in_an_hour())
        alice.post(
            "/tasks/assign_task", json={"user_id": bob.user_id, "task_id": task["external_id"]}
        )
    own = alice.create_task(name="Alice's own", deadline=in_an_hour())
    alice.post("/tasks/assign_task", json={"user_id": alice.user_id, "task_id": own["external_id"]})
    return {"/v1/tasks": own["external_id"], "/v1/users": bob.user_id}


def _fuzz(operation: Any, headers: dict[str, str], ids: Any) -> None:
    strategy = operation.as_strategy(GenerationMode.POSITIVE, headers=headers, path_parameters=ids)

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


def test_every_departure_says_why() -> None:
    assert all(departure.why.endswith(".") for departure in DEPARTURES)


def test_v1_honours_the_originals_own_document(
    app: Flask, alice: Caller, targets: dict[str, str]
) -> None:
    schema = schemathesis.openapi.from_dict(corrected())
    schema.app = app
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13
    failures: list[str] = []
    for operation in operations:
        real = next(
            (
                {"external_id": target}
                for prefix, target in targets.items()
                if operation.path.startswith(f"{prefix}/{{external_id}}")
            ),
            None,
        )
        for ids in [None, real] if real else [None]:
            try:
                _fuzz(operation, alice.headers, ids)
            except Exception as error:  # every operation gets its turn; all failures reported
                failures.append(f"{operation.label} [ids={ids}]: {error}")
    assert not failures, "\n\n".join(failures)
