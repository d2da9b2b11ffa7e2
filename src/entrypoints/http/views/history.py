# mypy: allow-untyped-decorators
"""A task's history: every recorded change, newest first."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from dependency_injector.wiring import Provide, inject

from application.paging import Page
from application.policy import Actor
from application.queries import TaskHistory
from application.read_models import HistoryEntry
from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.dialects.base import Dialect
from entrypoints.http.security import authenticated


@cache
def blueprint(dialect: Dialect) -> Blueprint:
    blp = Blueprint(
        "Task history",
        __name__,
        dialect=dialect,
        url_prefix="/tasks",
        description="What happened to a task.",
    )
    schemas = dialect.schemas

    @blp.route("/<uuid:external_id>/history", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(schemas.page_query, location="query")
    @blp.response(200, schemas.history_page)
    @blp.errors(404)
    @inject
    def task_history(
        query: dict[str, Any],
        external_id: UUID,
        actor: Actor,
        history: TaskHistory = Provide[Container.task_history],
    ) -> Page[HistoryEntry]:
        """The task's changes, newest first: who (null for the system) did what, when, and the
        fields that changed. Any authenticated user may read it."""
        return history(external_id, **query)

    return blp
