"""Fakes of the webhook ports: the unit of work over endpoints, outbox and deliveries, a
resolver that answers from a table, a sender that records what it sent and answers as told."""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Self
from uuid import UUID, uuid4

from application.paging import Page, PageRequest
from application.webhooks.ports import Attempt, Message, OutboxEvent, Request, Response
from application.webhooks.views import AttemptView
from domain.webhooks import Delivery, DeliveryStatus, WebhookEndpoint


class FakeWebhookEndpoints:
    def __init__(self) -> None:
        self.committed: dict[UUID, WebhookEndpoint] = {}
        self._seen: dict[UUID, WebhookEndpoint] = {}
        self._removed: set[UUID] = set()

    def add(self, endpoint: WebhookEndpoint) -> None:
        self._seen[endpoint.id] = endpoint

    def get(self, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint | None:
        if endpoint_id not in self._seen and endpoint_id in self.committed:
            self._seen[endpoint_id] = copy.deepcopy(self.committed[endpoint_id])
        return self._seen.get(endpoint_id)

    def listed(self, owner_id: UUID | None) -> list[WebhookEndpoint]:
        return [e for e in self.committed.values() if owner_id in (None, e.owner_id)]

    def remove(self, endpoint: WebhookEndpoint) -> None:
        self._removed.add(endpoint.id)


@dataclass
class FakeDeliveries:
    """The outbox (``events``), the deliveries, the log; ``admins`` and each event's task
    decide who receives it, as the fan-out statement does."""

    endpoints: FakeWebhookEndpoints
    admins: set[UUID] = field(default_factory=set)
    events: list[OutboxEvent] = field(default_factory=list)
    bodies: dict[UUID, str] = field(default_factory=dict)
    deliveries: dict[UUID, Delivery] = field(default_factory=dict)
    leases: dict[UUID, datetime] = field(default_factory=dict)
    log_rows: list[Attempt] = field(default_factory=list)

    def undispatched(self, limit: int) -> list[OutboxEvent]:
        return [event for event in self.events if event.id not in self.bodies][:limit]

    def fan_out(self, bodies: Mapping[UUID, str], now: datetime) -> int:
        made = 0
        for event in self.events:
            if event.id not in bodies:
                continue
            self.bodies[event.id] = bodies[event.id]
            involved = {event.task.get("created_by"), event.task.get("assigned_to")}
            for endpoint in self.endpoints.committed.values():
                owner = endpoint.owner_id
                if (
                    endpoint.enabled
                    and endpoint.subscribes_to(event.type)
                    and (owner in self.admins or str(owner) in involved)
                ):
                    delivery_id = uuid4()
                    self.deliveries[delivery_id] = Delivery(
                        delivery_id, endpoint.id, event.id, DeliveryStatus.PENDING, 0, now
                    )
                    made += 1
        return made

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[UUID]:
        due = [
            d.id
            for d in self.deliveries.values()
            if d.status is DeliveryStatus.PENDING
            and d.next_attempt_at is not None
            and d.next_attempt_at <= now
            and self.endpoints.committed[d.endpoint_id].enabled
            and self.leases.get(d.id, now) <= now
        ][:limit]
        self.leases.update(dict.fromkeys(due, lease_until))
        return due

    def get(self, delivery_id: UUID, *, for_update: bool = False) -> Delivery | None:
        found = self.deliveries.get(delivery_id)
        return None if found is None else copy.deepcopy(found)

    def message(self, delivery_id: UUID) -> Message:
        delivery = self.deliveries[delivery_id]
        event = next(e for e in self.events if e.id == delivery.event_id)
        return Message(event.id, event.type, self.bodies[event.id])

    def save(self, delivery: Delivery) -> None:
        self.deliveries[delivery.id] = copy.deepcopy(delivery)
        self.leases.pop(delivery.id, None)

    def log(self, attempt: Attempt) -> None:
        self.log_rows.append(attempt)

    def attempts(self, endpoint_id: UUID, page: PageRequest) -> Page[AttemptView]:
        rows = [
            a
            for a in reversed(self.log_rows)
            if self.deliveries[a.delivery_id].endpoint_id == endpoint_id
        ]
        views = []
        for attempt in rows[page.offset : page.offset + page.fetch]:
            delivery = self.deliveries[attempt.delivery_id]
            event = next(e for e in self.events if e.id == delivery.event_id)
            views.append(
                AttemptView(
                    attempt.delivery_id,
                    delivery.event_id,
                    event.type,
                    delivery.status,
                    attempt.at,
                    attempt.outcome,
                    attempt.status_code,
                    attempt.duration_ms,
                    attempt.error,
                )
            )
        return page.page(views, len(rows))


class FakeWebhookUnitOfWork:
    """Endpoints behave transactionally (written at commit); deliveries are written at once."""

    def __init__(self) -> None:
        self.webhooks = FakeWebhookEndpoints()
        self.deliveries = FakeDeliveries(self.webhooks)
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.webhooks._seen.clear()
        self.webhooks._removed.clear()

    def commit(self) -> None:
        for endpoint_id, endpoint in self.webhooks._seen.items():
            self.webhooks.committed[endpoint_id] = copy.deepcopy(endpoint)
        for endpoint_id in self.webhooks._removed:
            self.webhooks.committed.pop(endpoint_id, None)
        self.commits += 1


class TableResolver:
    """Names resolve as the table says; unknown names resolve to nothing."""

    def __init__(self, table: Mapping[str, list[str]]) -> None:
        self.table = dict(table)

    def addresses(self, host: str, port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]  # a literal address names itself
        except ValueError:
            return list(self.table.get(host, []))


class ScriptedSender:
    """Answers each request with the next status of its script (the last one repeats)."""

    def __init__(self, *statuses: int | None) -> None:
        self.statuses = list(statuses) or [200]
        self.sent: list[Request] = []

    def send(self, request: Request) -> Response:
        self.sent.append(request)
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return Response(status, 12.5, None if status is not None else "ConnectionRefusedError")


class EchoRenderer:
    def render(self, event: OutboxEvent) -> str:
        return f'{{"type": "{event.type.value}", "task": "{event.task["external_id"]}"}}'
