# mypy: allow-untyped-decorators
"""Tasks: anyone authenticated reads and creates; the rest follows the policy."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView

from application.paging import Page
from application.policy import Actor
from application.queries import GetTask, ListTasks
from application.read_models import TaskView
from application.tasks import CreateTask, DeleteTask, UpdateTask
from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.idempotency import idempotent
from entrypoints.http.preconditions import (
    ETAG_HEADERS,
    conditional_read,
    conditional_write,
    expected_version,
    shown,
    tagged,
)
from entrypoints.http.schemas.tasks import (
    TaskCreateSchema,
    TaskPageSchema,
    TaskQuerySchema,
    TaskSchema,
    TaskUpdateSchema,
)
from entrypoints.http.security import authenticated

blp = Blueprint("Tasks", __name__, url_prefix="/tasks", description="Tasks and their life.")


@blp.route("")
class Tasks(MethodView):
    @authenticated(blp)
    @blp.arguments(TaskQuerySchema, location="query")
    @blp.response(200, TaskPageSchema)
    @inject
    def get(
        self,
        query: dict[str, Any],
        actor: Actor,
        list_tasks: ListTasks = Provide[Container.list_tasks],
    ) -> Page[TaskView]:
        """A page of tasks, filtered and ordered (newest first by default)."""
        return list_tasks(**query)

    @authenticated(blp)
    @idempotent(blp)
    @blp.arguments(TaskCreateSchema)
    @blp.response(201, TaskSchema, headers=ETAG_HEADERS)
    @blp.errors(400, 413)
    @inject
    def post(
        self,
        body: dict[str, Any],
        actor: Actor,
        create_task: CreateTask = Provide[Container.create_task],
    ) -> Any:
        """Create a task; the caller becomes its creator. It starts unassigned."""
        return tagged(create_task(actor, **body), status=201)


@blp.route("/<uuid:external_id>")
class TaskDetail(MethodView):
    @authenticated(blp)
    @blp.response(200, TaskSchema, headers=ETAG_HEADERS)
    @blp.errors(404)
    @conditional_read(blp)
    @inject
    def get(
        self, external_id: UUID, actor: Actor, get_task: GetTask = Provide[Container.get_task]
    ) -> Any:
        """One task; its ETag is its version."""
        return shown(get_task(external_id))

    @authenticated(blp)
    @blp.arguments(TaskUpdateSchema)
    @blp.response(200, TaskSchema, headers=ETAG_HEADERS)
    @blp.errors(400, 403, 404, 409, 413)
    @conditional_write(blp)
    @inject
    def patch(
        self,
        body: dict[str, Any],
        external_id: UUID,
        actor: Actor,
        update_task: UpdateTask = Provide[Container.update_task],
    ) -> Any:
        """Edit a task (its creator or an admin). Finished tasks cannot be edited (409);
        an overdue one fails instead (409)."""
        return tagged(update_task(actor, external_id, **body, expected_version=expected_version()))

    @authenticated(blp)
    @blp.response(204)
    @blp.errors(403, 404)
    @conditional_write(blp)
    @inject
    def delete(
        self,
        external_id: UUID,
        actor: Actor,
        delete_task: DeleteTask = Provide[Container.delete_task],
    ) -> None:
        """Delete a task (its creator or an admin); it vanishes from every read."""
        delete_task(actor, external_id, expected_version=expected_version())
