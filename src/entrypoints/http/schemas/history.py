"""A task's history: one entry per recorded change, newest first."""

from __future__ import annotations

from marshmallow import fields

from domain.status import TaskEventType, TaskStatus
from entrypoints.http.schemas.common import page_of
from entrypoints.http.schemas.fields import UtcDateTime
from entrypoints.http.schemas.representation import Representation


class ActorSchema(Representation):
    external_id = fields.UUID(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)


class ChangeSchema(Representation):
    old = fields.String(required=True, allow_none=True)
    new = fields.String(required=True, allow_none=True)


class HistoryEntrySchema(Representation):
    at = UtcDateTime(required=True)
    actor = fields.Nested(
        ActorSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Who made the change; null when the system did (expiry)."},
    )
    type = fields.Enum(TaskEventType, by_value=True, required=True)
    from_status = fields.Enum(TaskStatus, by_value=True, required=True, allow_none=True)
    to_status = fields.Enum(TaskStatus, by_value=True, required=True)
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.Nested(ChangeSchema),
        required=True,
        metadata={"description": "Changed fields: `{field: {old, new}}`."},
    )


HistoryPageSchema = page_of(HistoryEntrySchema, "HistoryPage")
