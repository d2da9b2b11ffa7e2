"""Webhook endpoints and the delivery of events to them: who listens to what, where, signed with
which secret, and how a delivery is retried until it succeeds or is given up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final
from uuid import UUID, uuid4

from domain.errors import InvalidValue
from domain.status import WebhookEventType
from domain.validation import require_storable

URL_MAX_LENGTH: Final = 2048
#: The waits before each retry: the first attempt goes at once, then after 5 s, 5 min, 30 min,
#: 2 h, 5 h, 10 h and 10 h — eight attempts over about 27.6 hours.
RETRY_DELAYS_SECONDS: Final = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
MAX_ATTEMPTS: Final = len(RETRY_DELAYS_SECONDS) + 1
#: Each wait is stretched or shrunk by up to this share, so that retries do not arrive in step.
JITTER: Final = 0.1
#: An endpoint whose every attempt failed for this long is disabled.
DISABLE_AFTER: Final = timedelta(days=1)
#: After a rotation the previous secret still signs (beside the new one) for this long.
ROTATION_OVERLAP: Final = timedelta(hours=24)
GONE_STATUS: Final = 410
GONE_REASON: Final = "The endpoint answered 410 Gone."


class DeliveryOutcome(StrEnum):
    DELIVERED = "delivered"  # a 2xx answer
    GONE = "gone"  # 410: the receiver asks never to be called again
    FAILED = "failed"  # anything else: no answer, a timeout, another status, a refused address


def outcome_of(status_code: int | None) -> DeliveryOutcome:
    if status_code is not None and 200 <= status_code < 300:
        return DeliveryOutcome.DELIVERED
    if status_code == GONE_STATUS:
        return DeliveryOutcome.GONE
    return DeliveryOutcome.FAILED


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # an attempt is due at next_attempt_at
    DELIVERED = "delivered"
    FAILED = "failed"  # given up: every attempt failed, or the endpoint is gone


def valid_event_types(types: frozenset[WebhookEventType]) -> frozenset[WebhookEventType]:
    if not types:
        raise InvalidValue("event_types", "must name at least one event type")
    return types


def valid_url(url: str) -> str:
    url = url.strip()
    if not url or len(url) > URL_MAX_LENGTH:
        raise InvalidValue("url", f"must be 1 to {URL_MAX_LENGTH} characters")
    return require_storable("url", url)


class WebhookEndpoint:
    """Where a user wants events delivered. Its secret signs every delivery; while a rotation
    overlaps, the previous one signs too, so receivers can switch without losing a message."""

    def __init__(
        self,
        *,
        id: UUID,
        owner_id: UUID,
        url: str,
        event_types: frozenset[WebhookEventType],
        enabled: bool,
        disabled_reason: str | None,
        secret: str,
        previous_secret: str | None,
        previous_secret_until: datetime | None,
        failing_since: datetime | None,
        created_at: datetime,
        updated_at: datetime,
    ) -> None:
        self.id = id
        self.owner_id = owner_id
        self.url = url
        self.event_types = event_types
        self.enabled = enabled
        self.disabled_reason = disabled_reason
        self.secret = secret
        self.previous_secret = previous_secret
        self.previous_secret_until = previous_secret_until
        self.failing_since = failing_since
        self.created_at = created_at
        self.updated_at = updated_at

    @classmethod
    def create(
        cls,
        *,
        owner_id: UUID,
        url: str,
        event_types: frozenset[WebhookEventType],
        secret: str,
        now: datetime,
        enabled: bool = True,
    ) -> WebhookEndpoint:
        return cls(
            id=uuid4(),
            owner_id=owner_id,
            url=valid_url(url),
            event_types=valid_event_types(event_types),
            enabled=enabled,
            disabled_reason=None,
            secret=secret,
            previous_secret=None,
            previous_secret_until=None,
            failing_since=None,
            created_at=now,
            updated_at=now,
        )

    def update(
        self,
        *,
        now: datetime,
        url: str | None = None,
        event_types: frozenset[WebhookEventType] | None = None,
        enabled: bool | None = None,
    ) -> None:
        """Change the given fields (None leaves one as it is). Enabling again forgets why it
        was disabled and starts the count of failures afresh."""
        if url is not None:
            self.url = valid_url(url)
        if event_types is not None:
            self.event_types = valid_event_types(event_types)
        if enabled is not None:
            if enabled and not self.enabled:
                self.disabled_reason, self.failing_since = None, None
            self.enabled = enabled
        self.updated_at = now

    def rotate_secret(self, new_secret: str, now: datetime) -> None:
        self.previous_secret, self.previous_secret_until = self.secret, now + ROTATION_OVERLAP
        self.secret = new_secret
        self.updated_at = now

    def signing_secrets(self, now: datetime) -> tuple[str, ...]:
        """The secrets that sign a delivery made ``now``: the current one first."""
        overlap = self.previous_secret_until is not None and now < self.previous_secret_until
        if self.previous_secret is not None and overlap:
            return (self.secret, self.previous_secret)
        return (self.secret,)

    def subscribes_to(self, event_type: WebhookEventType) -> bool:
        return event_type in self.event_types

    def record(self, outcome: DeliveryOutcome, now: datetime, error: str | None) -> None:
        """What an attempt to deliver here tells about the endpoint: a success clears its
        failures; 410 disables it at once; failing every attempt for a day disables it."""
        if outcome is DeliveryOutcome.DELIVERED:
            self.failing_since = None
        elif outcome is DeliveryOutcome.GONE:
            self._disable(GONE_REASON, now)
        else:
            self.failing_since = self.failing_since or now
            if self.enabled and now - self.failing_since >= DISABLE_AFTER:
                since = self.failing_since.isoformat()
                self._disable(f"Every delivery failed since {since}; last: {error}", now)

    def _disable(self, reason: str, now: datetime) -> None:
        if self.enabled:
            self.enabled, self.disabled_reason, self.updated_at = False, reason, now


@dataclass(slots=True)
class Delivery:
    """One event on its way to one endpoint: attempted until it succeeds or is given up."""

    id: UUID
    endpoint_id: UUID
    event_id: UUID
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None

    def record(self, outcome: DeliveryOutcome, now: datetime, jitter: float = 0.0) -> None:
        """Count an attempt; a failed one is retried after the next wait of the schedule,
        scaled by ``1 + jitter`` (``jitter`` within ±:data:`JITTER`), until none is left."""
        if not -JITTER <= jitter <= JITTER:
            raise ValueError(f"jitter must lie within ±{JITTER}")
        self.attempts += 1
        if outcome is DeliveryOutcome.FAILED and self.attempts < MAX_ATTEMPTS:
            wait = RETRY_DELAYS_SECONDS[self.attempts - 1] * (1 + jitter)
            self.status, self.next_attempt_at = DeliveryStatus.PENDING, now + timedelta(0, wait)
            return
        done = outcome is DeliveryOutcome.DELIVERED
        self.status = DeliveryStatus.DELIVERED if done else DeliveryStatus.FAILED
        self.next_attempt_at = None

    def replay(self, now: datetime) -> None:
        """Deliver it again, from the first attempt of the schedule (its log stays)."""
        self.status, self.attempts, self.next_attempt_at = DeliveryStatus.PENDING, 0, now
