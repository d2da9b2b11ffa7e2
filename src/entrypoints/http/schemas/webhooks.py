"""Webhook endpoints, their delivery log, and the payload they receive."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from domain.status import WebhookEventType
from domain.webhooks import URL_MAX_LENGTH, DeliveryOutcome, DeliveryStatus
from entrypoints.http.schemas.common import page_of
from entrypoints.http.schemas.fields import Text, UtcDateTime
from entrypoints.http.schemas.history import ActorSchema
from entrypoints.http.schemas.representation import Representation
from entrypoints.http.schemas.tasks import TaskSchema

_URL = {
    "description": "Where events are POSTed: https (http and private addresses only where "
    "the service allows them, in development)."
}
_TYPES = {"description": "The event types to receive (at least one)."}


def _event_types(**kwargs: Any) -> fields.List[Any]:
    return fields.List(
        fields.Enum(WebhookEventType, by_value=True),
        validate=validate.Length(min=1, max=len(WebhookEventType)),
        metadata=_TYPES,
        **kwargs,
    )


class WebhookSchema(Representation):
    id = fields.UUID(required=True)
    owner_id = fields.UUID(required=True)
    url = fields.String(required=True)
    event_types = _event_types(required=True)
    enabled = fields.Boolean(required=True)
    disabled_reason = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Why the service disabled it (410 Gone, a day of failures)."},
    )
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class WebhookSecretSchema(WebhookSchema):
    secret = fields.String(
        required=True,
        metadata={"description": "`whsec_` and the base64 signing key. Shown only here: keep it."},
    )


class WebhookListSchema(Representation):
    results = fields.List(fields.Nested(WebhookSchema), required=True)


class _Types(Schema):
    @post_load
    def as_set(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        if "event_types" in data:
            data["event_types"] = frozenset(data["event_types"])
        return data


class WebhookCreateSchema(_Types):
    url = Text(required=True, validate=validate.Length(max=URL_MAX_LENGTH), metadata=_URL)
    event_types = _event_types(required=True)
    enabled = fields.Boolean(load_default=True)


class WebhookUpdateSchema(_Types):
    url = Text(validate=validate.Length(max=URL_MAX_LENGTH), metadata=_URL)
    event_types = _event_types()
    enabled = fields.Boolean(
        metadata={
            "description": "`true` again clears `disabled_reason` and retries pending deliveries."
        }
    )


class AttemptSchema(Representation):
    delivery_id = fields.UUID(required=True)
    event_id = fields.UUID(required=True)
    event_type = fields.Enum(WebhookEventType, by_value=True, required=True)
    delivery_status = fields.Enum(
        DeliveryStatus,
        by_value=True,
        required=True,
        metadata={"description": "Where the delivery stands now."},
    )
    at = UtcDateTime(required=True)
    outcome = fields.Enum(DeliveryOutcome, by_value=True, required=True)
    status_code = fields.Integer(required=True, allow_none=True)
    duration_ms = fields.Float(required=True)
    error = fields.String(required=True, allow_none=True)


AttemptPageSchema = page_of(AttemptSchema, "WebhookAttemptPage")


class DeliverySchema(Representation):
    id = fields.UUID(required=True)
    event_id = fields.UUID(required=True)
    status = fields.Enum(DeliveryStatus, by_value=True, required=True)
    attempts = fields.Integer(required=True)
    next_attempt_at = UtcDateTime(required=True, allow_none=True)


class PayloadDataSchema(Representation):
    event_id = fields.UUID(required=True)
    actor = fields.Nested(
        ActorSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Who did it; null when the system did (expiry, reminder)."},
    )
    task = fields.Nested(TaskSchema, required=True)


class WebhookPayloadSchema(Representation):
    """The JSON body every delivery POSTs (Standard Webhooks' suggested shape)."""

    type = fields.Enum(WebhookEventType, by_value=True, required=True)
    timestamp = UtcDateTime(required=True, metadata={"description": "When it happened."})
    data = fields.Nested(PayloadDataSchema, required=True)
