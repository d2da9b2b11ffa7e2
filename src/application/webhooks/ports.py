"""The ports of webhook delivery: the unit of work over endpoints, outbox and deliveries, name
resolution, and the HTTP call itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self
from uuid import UUID

from application.paging import Page, PageRequest
from application.webhooks.views import AttemptView
from domain.status import WebhookEventType
from domain.webhooks import Delivery, DeliveryOutcome, WebhookEndpoint


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    """An event as the outbox holds it: what happened, when, who did it (None: the system),
    and the task's stored row as it was right after."""

    id: UUID
    type: WebhookEventType
    occurred_at: datetime
    actor_id: UUID | None
    task: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Message:
    """What a delivery sends: the event's id and type, and the body rendered once for it."""

    event_id: UUID
    type: WebhookEventType
    body: str


@dataclass(frozen=True, slots=True)
class Attempt:
    delivery_id: UUID
    at: datetime
    outcome: DeliveryOutcome
    status_code: int | None
    duration_ms: float
    error: str | None


class WebhookEndpoints(Protocol):
    def add(self, endpoint: WebhookEndpoint) -> None: ...

    def get(self, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint | None: ...

    def listed(self, owner_id: UUID | None) -> list[WebhookEndpoint]:
        """Every endpoint of ``owner_id`` (None: of everyone), oldest first."""
        ...

    def remove(self, endpoint: WebhookEndpoint) -> None:
        """Delete it with its deliveries and their log."""
        ...


class Deliveries(Protocol):
    """The outbox and the deliveries made from it, in PostgreSQL: the truth about what is
    still to be sent, whatever happened to the queue that carries the work."""

    def undispatched(self, limit: int) -> list[OutboxEvent]:
        """The oldest events not yet fanned out, locked; rows another dispatcher holds are
        skipped (``FOR UPDATE SKIP LOCKED``)."""
        ...

    def fan_out(self, bodies: Mapping[UUID, str], now: datetime) -> int:
        """Give each event its body and one delivery per enabled endpoint that subscribes to
        it and may see its task (see :mod:`application.webhooks.rules`); how many."""
        ...

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[UUID]:
        """Lease the pending deliveries due by ``now`` to enabled endpoints whose lease (if
        any) has run out, until ``lease_until``: a lost job is claimed again after that."""
        ...

    def get(self, delivery_id: UUID, *, for_update: bool = False) -> Delivery | None: ...

    def message(self, delivery_id: UUID) -> Message: ...

    def save(self, delivery: Delivery) -> None:
        """Write its state, and end its lease."""
        ...

    def log(self, attempt: Attempt) -> None: ...

    def attempts(self, endpoint_id: UUID, page: PageRequest) -> Page[AttemptView]:
        """The endpoint's attempts, newest first."""
        ...


class WebhookUnitOfWork(Protocol):
    @property
    def webhooks(self) -> WebhookEndpoints: ...

    @property
    def deliveries(self) -> Deliveries: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


class Resolver(Protocol):
    def addresses(self, host: str, port: int) -> list[str]:
        """The IP addresses ``host`` names now; empty when it names none."""
        ...


@dataclass(frozen=True, slots=True)
class Request:
    """One POST, to be sent to ``address`` (checked, so that DNS cannot move it) while
    speaking to ``url``'s host (its name for TLS and the Host header)."""

    url: str
    address: str
    headers: Mapping[str, str]
    body: str
    timeout_seconds: float


@dataclass(frozen=True, slots=True)
class Response:
    status_code: int | None
    duration_ms: float
    error: str | None = None


class Sender(Protocol):
    def send(self, request: Request) -> Response:
        """POST it; never raises for what the network or the receiver did."""
        ...


class PayloadRenderer(Protocol):
    def render(self, event: OutboxEvent) -> str:
        """The JSON body of the event's deliveries: its type, time, actor and task as the
        API shows them."""
        ...


class Jitter(Protocol):
    def __call__(self) -> float:
        """A share within ±domain.webhooks.JITTER."""
        ...
