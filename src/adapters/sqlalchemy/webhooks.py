"""Where webhook endpoints are kept, and the outbox's way out: fan-out, leases, deliveries and
their log. Rows to objects and back are here too: nothing else reads these tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final
from uuid import UUID

from sqlalchemy import Connection, RowMapping, delete, insert, select, text, update

from adapters.sqlalchemy.tables import (
    webhook_attempts,
    webhook_deliveries,
    webhook_endpoints,
    webhook_outbox,
)
from adapters.sqlalchemy.tracking import Tracked
from application.paging import Page, PageRequest
from application.webhooks.ports import Attempt, Message, OutboxEvent
from application.webhooks.views import AttemptView
from domain.status import WebhookEventType
from domain.webhooks import Delivery, DeliveryOutcome, DeliveryStatus, WebhookEndpoint

_E, _D, _O, _A = webhook_endpoints.c, webhook_deliveries.c, webhook_outbox.c, webhook_attempts.c
_PENDING: Final = DeliveryStatus.PENDING.value


def endpoint_to_row(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "id": endpoint.id,
        "owner_id": endpoint.owner_id,
        "url": endpoint.url,
        "event_types": sorted(event.value for event in endpoint.event_types),
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "secret": endpoint.secret,
        "previous_secret": endpoint.previous_secret,
        "previous_secret_until": endpoint.previous_secret_until,
        "failing_since": endpoint.failing_since,
        "created_at": endpoint.created_at,
        "updated_at": endpoint.updated_at,
    }


def row_to_endpoint(row: Mapping[str, Any] | RowMapping) -> WebhookEndpoint:
    values = dict(row)
    values["event_types"] = frozenset(WebhookEventType(v) for v in row["event_types"])
    return WebhookEndpoint(**values)


def _delivery(row: Mapping[str, Any] | RowMapping) -> Delivery:
    return Delivery(
        id=row["id"],
        endpoint_id=row["endpoint_id"],
        event_id=row["event_id"],
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
    )


class SqlWebhookEndpoints:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._tracked: Tracked[WebhookEndpoint] = Tracked(endpoint_to_row)
        self._removed: list[UUID] = []

    def add(self, endpoint: WebhookEndpoint) -> None:
        self._tracked.added(endpoint.id, endpoint)

    def get(self, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint | None:
        found = self._tracked.find(endpoint_id, for_update=for_update)
        if found is not None:
            return found
        query = select(webhook_endpoints).where(_E.id == endpoint_id)
        if for_update:
            query = query.with_for_update()
        row = self._connection.execute(query).mappings().one_or_none()
        if row is None:
            return None
        return self._tracked.loaded(endpoint_id, row_to_endpoint(row), locked=for_update)

    def listed(self, owner_id: UUID | None) -> list[WebhookEndpoint]:
        query = select(webhook_endpoints).order_by(_E.created_at, _E.id)
        if owner_id is not None:
            query = query.where(_E.owner_id == owner_id)
        return [row_to_endpoint(row) for row in self._connection.execute(query).mappings()]

    def remove(self, endpoint: WebhookEndpoint) -> None:
        self._removed.append(endpoint.id)

    def flush(self) -> None:
        for endpoint, row, stored in self._tracked.pending():
            if endpoint.id in self._removed:
                continue
            if stored is None:
                self._connection.execute(insert(webhook_endpoints), [row])
            else:
                changed = {k: v for k, v in row.items() if stored.get(k) != v}
                self._connection.execute(
                    update(webhook_endpoints).where(_E.id == endpoint.id).values(changed)
                )
        if self._removed:
            self._connection.execute(delete(webhook_endpoints).where(_E.id.in_(self._removed)))
        self._tracked.written()


# Who receives what (application.webhooks.rules): an enabled endpoint subscribed to the type,
# whose owner is an active admin, or created or is assigned the task as the event left it.
_FAN_OUT: Final = text(
    f"""
    WITH made AS (
        INSERT INTO webhook_deliveries
            (id, endpoint_id, event_id, status, attempts, next_attempt_at, created_at)
        SELECT gen_random_uuid(), e.id, o.id, '{_PENDING}', 0, :now, :now
        FROM webhook_outbox o
        JOIN webhook_endpoints e ON e.enabled AND o.type = ANY (e.event_types)
        JOIN users u ON u.external_id = e.owner_id AND u.deleted_at IS NULL
        WHERE o.id = ANY (:ids)
          AND (u.is_admin
               OR (o.task ->> 'created_by')::uuid = u.external_id
               OR (o.task ->> 'assigned_to')::uuid = u.external_id)
        ON CONFLICT (endpoint_id, event_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) FROM made
    """  # noqa: S608 - a constant
)

_CLAIM: Final = text(
    f"""
    UPDATE webhook_deliveries SET lease_until = :lease_until
    WHERE id IN (
        SELECT d.id FROM webhook_deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
        WHERE d.status = '{_PENDING}' AND d.next_attempt_at <= :now
          AND (d.lease_until IS NULL OR d.lease_until <= :now)
        ORDER BY d.next_attempt_at
        LIMIT :limit
        FOR UPDATE OF d SKIP LOCKED
    )
    RETURNING id
    """  # noqa: S608 - a constant
)


class SqlDeliveries:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def undispatched(self, limit: int) -> list[OutboxEvent]:
        query = (
            select(_O.id, _O.type, _O.occurred_at, _O.actor_id, _O.task)
            .where(_O.dispatched_at.is_(None))
            .order_by(_O.occurred_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [
            OutboxEvent(row.id, WebhookEventType(row.type), row.occurred_at, row.actor_id, row.task)
            for row in self._connection.execute(query)
        ]

    def fan_out(self, bodies: Mapping[UUID, str], now: datetime) -> int:
        for event_id, body in bodies.items():
            self._connection.execute(
                update(webhook_outbox).where(_O.id == event_id).values(body=body, dispatched_at=now)
            )
        made = self._connection.execute(_FAN_OUT, {"ids": list(bodies), "now": now}).scalar_one()
        return int(made)

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[UUID]:
        values = {"now": now, "lease_until": lease_until, "limit": limit}
        return list(self._connection.execute(_CLAIM, values).scalars())

    def get(self, delivery_id: UUID, *, for_update: bool = False) -> Delivery | None:
        query = select(webhook_deliveries).where(_D.id == delivery_id)
        if for_update:
            query = query.with_for_update()
        row = self._connection.execute(query).mappings().one_or_none()
        return None if row is None else _delivery(row)

    def message(self, delivery_id: UUID) -> Message:
        row = self._connection.execute(
            select(_O.id, _O.type, _O.body)
            .join(webhook_deliveries, _D.event_id == _O.id)
            .where(_D.id == delivery_id)
        ).one()
        return Message(row.id, WebhookEventType(row.type), row.body)

    def save(self, delivery: Delivery) -> None:
        self._connection.execute(
            update(webhook_deliveries)
            .where(_D.id == delivery.id)
            .values(
                status=delivery.status.value,
                attempts=delivery.attempts,
                next_attempt_at=delivery.next_attempt_at,
                lease_until=None,
            )
        )

    def log(self, attempt: Attempt) -> None:
        endpoint = select(_D.endpoint_id).where(_D.id == attempt.delivery_id).scalar_subquery()
        self._connection.execute(
            insert(webhook_attempts).values(
                delivery_id=attempt.delivery_id,
                endpoint_id=endpoint,
                at=attempt.at,
                outcome=attempt.outcome.value,
                status_code=attempt.status_code,
                duration_ms=attempt.duration_ms,
                error=attempt.error,
            )
        )

    def attempts(self, endpoint_id: UUID, page: PageRequest) -> Page[AttemptView]:
        query = (
            select(webhook_attempts, _D.event_id, _D.status.label("delivery_status"), _O.type)
            .join(webhook_deliveries, _D.id == _A.delivery_id)
            .join(webhook_outbox, _O.id == _D.event_id)
            .where(_A.endpoint_id == endpoint_id)
            .order_by(_A.at.desc(), _A.id.desc())
            .offset(page.offset)
            .limit(page.fetch)
        )
        count = self._connection.execute(
            select(text("count(*)"))
            .select_from(webhook_attempts)
            .where(_A.endpoint_id == endpoint_id)
        ).scalar_one()
        views = [
            AttemptView(
                delivery_id=row.delivery_id,
                event_id=row.event_id,
                event_type=WebhookEventType(row.type),
                delivery_status=DeliveryStatus(row.delivery_status),
                at=row.at,
                outcome=DeliveryOutcome(row.outcome),
                status_code=row.status_code,
                duration_ms=row.duration_ms,
                error=row.error,
            )
            for row in self._connection.execute(query)
        ]
        return page.page(views, count)
