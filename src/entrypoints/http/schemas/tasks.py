"""The Task resource: what is shown of a task, and what may be sent to create or change one."""

from __future__ import annotations

from typing import Any, Final

from marshmallow import Schema, fields, validate

from application.read_models import TaskFilter, TaskOrder
from domain.status import TaskStatus, TaskType
from domain.task_fields import DESCRIPTION_MAX_LENGTH, NAME_MAX_LENGTH, REMIND_BEFORE_MAX_SECONDS
from entrypoints.http.schemas.common import SEARCH, ListQuerySchema, page_of
from entrypoints.http.schemas.fields import Text, UtcDateTime
from entrypoints.http.schemas.representation import Representation
from entrypoints.http.schemas.users import UserSchema

_REMIND_SHOWN: Final = {
    "description": "Seconds before the deadline that the task is reminded; null: the "
    "service's default (REMINDER_BEFORE_SECONDS)."
}


class TaskSchema(Representation):
    external_id = fields.UUID(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True)
    # With a description apispec lists the user before the null alternative (as for a history
    # entry's actor); without one, generated clients read every assignee as an untyped object.
    assigned_to = fields.Nested(
        UserSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The assignee; null while the task is unassigned."},
    )
    status = fields.Enum(TaskStatus, by_value=True, required=True)
    type = fields.Enum(TaskType, by_value=True, required=True)
    deadline = UtcDateTime(required=True, allow_none=True)
    completed_at = UtcDateTime(required=True, allow_none=True)
    remind_before_seconds = fields.Integer(required=True, allow_none=True, metadata=_REMIND_SHOWN)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


TaskPageSchema = page_of(TaskSchema, "TaskPage", cursors=True)


class TaskMessageSchema(Representation):
    """``{"message", "task"}``, as the original's assign and complete actions answered."""

    message = fields.String(required=True)
    task = fields.Nested(TaskSchema, required=True)


_NAME = validate.Length(max=NAME_MAX_LENGTH)
_DESCRIPTION = validate.Length(max=DESCRIPTION_MAX_LENGTH)
DEADLINE = {"description": "ISO 8601 with a time zone; must lie in the future."}
_REMIND_BEFORE = validate.Range(min=1, max=REMIND_BEFORE_MAX_SECONDS)
_REMIND = {
    "description": "Seconds before the deadline that a `task.deadline_approaching` webhook "
    "goes out; unset: the service's REMINDER_BEFORE_SECONDS (an hour by default)."
}


class TaskCreateSchema(Schema):
    name = Text(required=True, validate=_NAME)
    description = Text(load_default="", validate=_DESCRIPTION)
    type = fields.Enum(TaskType, by_value=True, load_default=TaskType.NORMAL)
    deadline = UtcDateTime(load_default=None, allow_none=True, metadata=DEADLINE)
    remind_before_seconds = fields.Integer(
        load_default=None, allow_none=True, validate=_REMIND_BEFORE, metadata=_REMIND
    )


class TaskUpdateSchema(Schema):
    """Only the fields sent change; status and assignee change through the actions."""

    name = Text(validate=_NAME)
    description = Text(validate=_DESCRIPTION)
    type = fields.Enum(TaskType, by_value=True)
    deadline = UtcDateTime(metadata=DEADLINE)
    remind_before_seconds = fields.Integer(validate=_REMIND_BEFORE, metadata=_REMIND)


class AssignSchema(Schema):
    user_id = fields.UUID(required=True, metadata={"description": "The assignee's external_id."})
    task_id = fields.UUID(required=True, metadata={"description": "The task's external_id."})


class TaskQuerySchema(ListQuerySchema):
    external_id = fields.UUID()
    status = fields.Enum(TaskStatus, by_value=True)
    assigned_to = fields.UUID(metadata={"description": "The assignee's external_id."})
    type = fields.Enum(TaskType, by_value=True)
    order_by = fields.Enum(TaskOrder, by_value=True, load_default=TaskOrder.CREATED_AT_DESC)
    search = Text(
        validate=SEARCH,
        metadata={"description": "Only tasks whose name or description contains this (any case)."},
    )

    def filters(self, data: dict[str, Any]) -> dict[str, Any]:
        where = TaskFilter(
            external_id=data.get("external_id"),
            status=data.get("status"),
            assigned_to=data.get("assigned_to"),
            type=data.get("type"),
            search=data.get("search"),
        )
        return {"where": where, "order": data["order_by"]}
