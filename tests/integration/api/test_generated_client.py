"""A client nobody here wrote: ``openapi-python-client`` turns the served ``/openapi.json``
into a Python package, and that package alone drives a task from registration to completion
against the app on a real HTTP server.

The generator is strict (``--fail-on-warning``): an operation or a schema it cannot model is a
defect of our document, since any client generated from it would lack that part.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from flask import Flask
from werkzeug.serving import make_server

from entrypoints.devrun.processes import free_port

GENERATOR = str(Path(sys.executable).with_name("openapi-python-client"))
PACKAGE = "generated_task_assigner_client"
#: No formatter hooks: what the generator writes is what we import.
GENERATOR_CONFIG = "post_hooks: []\n"


@pytest.fixture
def base_url(app: Flask) -> Iterator[str]:
    """The app on a threaded HTTP server on a free loopback port, as long as the test runs."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def generated(base_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The generated package, imported from ``tmp_path``; forgotten again after the test."""
    spec = tmp_path / "openapi.json"
    spec.write_bytes(httpx.get(f"{base_url}/openapi.json").raise_for_status().content)
    config = tmp_path / "generator.yml"
    config.write_text(GENERATOR_CONFIG)
    argv = [GENERATOR, "generate", "--path", str(spec), "--output-path", str(tmp_path / PACKAGE)]
    argv += ["--meta", "none", "--config", str(config), "--fail-on-warning"]
    result = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, f"the generator refused our document:\n{result.stdout}"
    assert "Warning" not in result.stdout, result.stdout

    monkeypatch.syspath_prepend(str(tmp_path))
    yield _Modules(PACKAGE)
    for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
        del sys.modules[name]


class _Modules:
    """``generated.api.tasks.post_tasks`` imports that module of the generated package (its
    packages import none of their modules themselves)."""

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix

    def __getattr__(self, name: str) -> Any:
        module = importlib.import_module(f"{self._prefix}.{name}")
        return _Modules(module.__name__) if hasattr(module, "__path__") else module


def _register(client: ModuleType, generated: Any, base_url: str, name: str) -> Any:
    """Sign ``name`` up through the generated client; an authenticated client for them."""
    password = "a good password"
    body = generated.models.register.Register(
        email=f"{name.lower()}@example.com", name=name, password=password, password2=password
    )
    token = generated.api.auth.post_auth_register.sync(
        client=client.Client(base_url=base_url), body=body
    )
    assert isinstance(token, generated.models.token.Token), token
    return client.AuthenticatedClient(base_url=base_url, token=token.token.access)


def test_a_generated_client_takes_a_task_from_creation_to_completion(
    generated: Any, base_url: str
) -> None:
    client = generated.client
    alice = _register(client, generated, base_url, "Alice")
    bob = _register(client, generated, base_url, "Bob")
    models, api = generated.models, generated.api

    users = api.users.get_users.sync(client=alice, limit=10)
    bob_id = next(user.external_id for user in users.results if user.email == "bob@example.com")
    deadline = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    created = api.tasks.post_tasks.sync(
        client=alice,
        body=models.task_create.TaskCreate(name="Write the report", deadline=deadline),
    )
    assert isinstance(created, models.task.Task), created
    assert created.status == models.task_status.TaskStatus.UNASSIGNED
    assert created.deadline == deadline

    assign = models.assign.Assign(user_id=bob_id, task_id=created.external_id)
    assigned = api.task_actions.post_tasks_assign_task.sync(client=alice, body=assign)
    assert assigned.message == "Task assigned successfully."
    # The assignee is read as the User model, not as an untyped object.
    assert isinstance(assigned.task.assigned_to, models.user.User)
    assert assigned.task.assigned_to.email == "bob@example.com"
    actions = api.task_actions
    started = actions.post_tasks_external_id_start_task.sync(created.external_id, client=bob)
    assert started.task.status == models.task_status.TaskStatus.IN_PROGRESS
    done = actions.post_tasks_external_id_complete_task.sync(created.external_id, client=bob)
    assert done.message == "Task marked as completed."

    task = api.tasks.get_tasks_external_id.sync(created.external_id, client=alice)
    assert task.status == models.task_status.TaskStatus.COMPLETED
    assert task.completed_at is not None
    assert task.completed_at.tzinfo is not None
