"""What the API shows of webhook endpoints and of their deliveries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.status import WebhookEventType
from domain.webhooks import Delivery, DeliveryOutcome, DeliveryStatus, WebhookEndpoint


@dataclass(frozen=True, slots=True)
class WebhookView:
    id: UUID
    owner_id: UUID
    url: str
    event_types: tuple[WebhookEventType, ...]
    enabled: bool
    disabled_reason: str | None
    created_at: datetime
    updated_at: datetime
    #: Shown once: in the answer that creates the endpoint or rotates its secret.
    secret: str | None = None

    @classmethod
    def of(cls, endpoint: WebhookEndpoint, *, with_secret: bool = False) -> WebhookView:
        return cls(
            id=endpoint.id,
            owner_id=endpoint.owner_id,
            url=endpoint.url,
            event_types=tuple(sorted(endpoint.event_types)),
            enabled=endpoint.enabled,
            disabled_reason=endpoint.disabled_reason,
            created_at=endpoint.created_at,
            updated_at=endpoint.updated_at,
            secret=endpoint.secret if with_secret else None,
        )


@dataclass(frozen=True, slots=True)
class AttemptView:
    """One attempt of one delivery, with where that delivery stands now."""

    delivery_id: UUID
    event_id: UUID
    event_type: WebhookEventType
    delivery_status: DeliveryStatus
    at: datetime
    outcome: DeliveryOutcome
    status_code: int | None
    duration_ms: float
    error: str | None


@dataclass(frozen=True, slots=True)
class DeliveryView:
    id: UUID
    event_id: UUID
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryView:
        return cls(
            delivery.id,
            delivery.event_id,
            delivery.status,
            delivery.attempts,
            delivery.next_attempt_at,
        )
