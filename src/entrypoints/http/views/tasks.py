# mypy: allow-untyped-decorators
"""Tasks: anyone authenticated reads and creates; the rest follows the policy."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView

from application.policy import Actor
from application.queries import GetTask, ListTasks
from application.tasks import CompleteTask, CreateTask, DeleteTask, StartTask, UpdateTask
from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.dialects.base import Dialect
from entrypoints.http.idempotency import idempotent
from entrypoints.http.moves import moved
from entrypoints.http.pages import LINK_HEADERS, paged
from entrypoints.http.preconditions import (
    ETAG_HEADERS,
    conditional_read,
    conditional_write,
    expected_version,
    shown,
    tagged,
)
from entrypoints.http.security import authenticated


@cache
def blueprint(dialect: Dialect) -> Blueprint:
    blp = Blueprint(
        "Tasks", __name__, dialect=dialect, url_prefix="/tasks", description="Tasks and their life."
    )
    schemas = dialect.schemas

    @blp.route("")
    class Tasks(MethodView):
        @authenticated(blp)
        @blp.arguments(schemas.task_query, location="query")
        @blp.response(200, schemas.task_page, headers=LINK_HEADERS)
        @inject
        def get(
            self,
            query: dict[str, Any],
            actor: Actor,
            list_tasks: ListTasks = Provide[Container.list_tasks],
        ) -> Any:
            """A page of tasks, filtered and ordered."""
            return paged(list_tasks(**query))

        @authenticated(blp)
        @idempotent(blp)
        @blp.arguments(schemas.task_create)
        @blp.response(201, schemas.task, headers=ETAG_HEADERS)
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
        @blp.response(200, schemas.task, headers=ETAG_HEADERS)
        @blp.errors(404)
        @conditional_read(blp)
        @inject
        def get(
            self, external_id: UUID, actor: Actor, get_task: GetTask = Provide[Container.get_task]
        ) -> Any:
            """One task; its ETag is its version."""
            return shown(get_task(external_id))

        @authenticated(blp)
        @blp.arguments(schemas.task_update)
        @blp.response(200, schemas.task, headers=ETAG_HEADERS)
        @blp.errors(400, 403, 404, 409, 413)
        @conditional_write(blp)
        @inject
        def patch(
            self,
            body: dict[str, Any],
            external_id: UUID,
            actor: Actor,
            update_task: UpdateTask = Provide[Container.update_task],
            get_task: GetTask = Provide[Container.get_task],
            start: StartTask = Provide[Container.start_task],
            complete: CompleteTask = Provide[Container.complete_task],
        ) -> Any:
            """Edit a task (its creator or an admin). Finished tasks cannot be edited (409);
            an overdue one fails instead (409)."""
            status = body.pop("status", None)  # only the original's dialect reads one
            version = expected_version()
            if body or status is None:
                task = update_task(actor, external_id, **body, expected_version=version)
            else:
                task = get_task(external_id)
            if status is not None:
                # If-Match guards the move when nothing else was changed first.
                task = moved(task, status, actor, start, complete, None if body else version)
            return tagged(task)

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

    return blp
