# mypy: allow-untyped-decorators
"""The original service's task actions: assign, start, complete, each answering
``{"message", "task"}`` with the original messages."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject

from application.policy import Actor
from application.tasks import AssignTask, CompleteTask, StartTask
from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.dialects.base import Dialect
from entrypoints.http.idempotency import idempotent
from entrypoints.http.preconditions import (
    ETAG_HEADERS,
    conditional_write,
    expected_version,
    tagged,
)
from entrypoints.http.security import authenticated


@cache
def blueprint(dialect: Dialect) -> Blueprint:
    blp = Blueprint(
        "Task actions",
        __name__,
        dialect=dialect,
        url_prefix="/tasks",
        description="Assign, start, complete.",
    )
    schemas = dialect.schemas

    @blp.route("/assign_task", methods=["POST"])
    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(schemas.assign)
    @blp.response(200, schemas.task_message, headers=ETAG_HEADERS)
    @blp.errors(400, 403, 404, 409, 413)
    @conditional_write(blp)
    @inject
    def assign_task(
        body: dict[str, Any], actor: Actor, assign: AssignTask = Provide[Container.assign_task]
    ) -> Any:
        """Assign a task to a user: its creator or an admin may assign it to anyone; anyone may
        take an unassigned task themselves."""
        task = assign(actor, body["task_id"], body["user_id"], expected_version=expected_version())
        return tagged(task, {"message": "Task assigned successfully.", "task": task})

    @blp.route("/<uuid:external_id>/start_task", methods=["POST"])
    @authenticated(blp)
    @idempotent(blp)
    @blp.response(200, schemas.task_message, headers=ETAG_HEADERS)
    @blp.errors(403, 404, 409)
    @conditional_write(blp)
    @inject
    def start_task(
        external_id: UUID, actor: Actor, start: StartTask = Provide[Container.start_task]
    ) -> Any:
        """Start a pending task (its assignee only)."""
        task = start(actor, external_id, expected_version=expected_version())
        return tagged(task, {"message": "Task started.", "task": task})

    @blp.route("/<uuid:external_id>/complete_task", methods=["POST"])
    @authenticated(blp)
    @idempotent(blp)
    @blp.response(200, schemas.task_message, headers=ETAG_HEADERS)
    @blp.errors(403, 404, 409)
    @conditional_write(blp)
    @inject
    def complete_task(
        external_id: UUID, actor: Actor, complete: CompleteTask = Provide[Container.complete_task]
    ) -> Any:
        """Complete a task (its assignee only). At or after its deadline the task fails
        instead and the answer is 409."""
        task = complete(actor, external_id, expected_version=expected_version())
        return tagged(task, {"message": "Task marked as completed.", "task": task})

    return blp
