"""Delivering the outbox: the periodic dispatcher, and one delivery attempt.

The dispatcher runs on the scheduler. It fans new outbox events out into deliveries, then
leases the deliveries that are due and hands their ids to the queue. A lease lasts longer than
an attempt can, so a job that never ran (Redis emptied) or never finished (a killed worker) is
leased and queued again when it runs out: everything still to be sent is in PostgreSQL, and
losing the queue only delays it. An attempt may therefore run twice (at least once, never
never); receivers drop duplicates by ``webhook-id``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Final
from uuid import UUID

from application.ports import Clock
from application.webhooks import signing
from application.webhooks.destinations import Refused, destination
from application.webhooks.ports import (
    Attempt,
    Jitter,
    PayloadRenderer,
    Request,
    Resolver,
    Response,
    Sender,
    WebhookUnitOfWork,
)
from domain.webhooks import DeliveryOutcome, DeliveryStatus, outcome_of

#: Outbox events fanned out, and deliveries leased, per dispatcher run.
DISPATCH_BATCH: Final = 500
CLAIM_BATCH: Final = 500
TIMEOUT_SECONDS: Final = 10.0
#: The default lease: longer than an attempt may take (the timeout, plus the job's own work),
#: so that a live attempt is seldom leased twice.
LEASE: Final = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class DispatchReport:
    fanned_out: int
    due: tuple[UUID, ...]


class DispatchWebhooks:
    def __init__(
        self,
        uow: WebhookUnitOfWork,
        clock: Clock,
        renderer: PayloadRenderer,
        lease: timedelta = LEASE,
    ) -> None:
        if lease.total_seconds() <= TIMEOUT_SECONDS:
            raise ValueError(f"a lease must outlast an attempt's {TIMEOUT_SECONDS:g} s timeout")
        self._uow = uow
        self._clock = clock
        self._renderer = renderer
        self._lease = lease

    def __call__(self) -> DispatchReport:
        now = self._clock.now()
        fanned_out = 0
        with self._uow:
            events = self._uow.deliveries.undispatched(DISPATCH_BATCH)
            if events:
                bodies = {event.id: self._renderer.render(event) for event in events}
                fanned_out = self._uow.deliveries.fan_out(bodies, now)
                self._uow.commit()
        with self._uow:
            due = self._uow.deliveries.claim_due(now, now + self._lease, CLAIM_BATCH)
            self._uow.commit()
        return DispatchReport(fanned_out, tuple(due))


class DeliverWebhook:
    """One attempt of one delivery. The call itself happens outside any transaction (it may
    take the whole timeout); its outcome is then recorded under the rows' locks."""

    def __init__(
        self,
        uow: WebhookUnitOfWork,
        clock: Clock,
        resolver: Resolver,
        sender: Sender,
        jitter: Jitter,
        allow_private: bool,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._resolver = resolver
        self._sender = sender
        self._jitter = jitter
        self._allow_private = allow_private

    def __call__(self, delivery_id: UUID) -> DeliveryOutcome | None:
        """The attempt's outcome; None when there was nothing to attempt (already done, not
        due yet, its endpoint disabled or gone)."""
        now = self._clock.now()
        with self._uow:
            delivery = self._uow.deliveries.get(delivery_id)
            due = (
                delivery is not None
                and delivery.status is DeliveryStatus.PENDING
                and delivery.next_attempt_at is not None
                and delivery.next_attempt_at <= now
            )
            endpoint = self._uow.webhooks.get(delivery.endpoint_id) if delivery else None
            if not due or endpoint is None or not endpoint.enabled:
                return None
            message = self._uow.deliveries.message(delivery_id)
            url, secrets = endpoint.url, endpoint.signing_secrets(now)
            endpoint_id = endpoint.id
        headers = signing.headers(secrets, f"msg_{message.event_id.hex}", now, message.body)
        response = self._send(url, headers, message.body)
        outcome = outcome_of(response.status_code)
        error = response.error or (
            None if outcome is DeliveryOutcome.DELIVERED else f"HTTP {response.status_code}"
        )
        done = self._clock.now()
        with self._uow:
            # The endpoint first, as every use case that locks both does.
            endpoint = self._uow.webhooks.get(endpoint_id, for_update=True)
            delivery = self._uow.deliveries.get(delivery_id, for_update=True)
            if endpoint is None or delivery is None:
                return None  # deleted meanwhile
            self._uow.deliveries.log(
                Attempt(
                    delivery_id, now, outcome, response.status_code, response.duration_ms, error
                )
            )
            if delivery.status is DeliveryStatus.PENDING:
                delivery.record(outcome, done, self._jitter())
                self._uow.deliveries.save(delivery)
            endpoint.record(outcome, done, error)
            self._uow.commit()
        return outcome

    def _send(self, url: str, headers: dict[str, str], body: str) -> Response:
        try:
            checked = destination(url, self._resolver, allow_private=self._allow_private)
        except Refused as refused:
            return Response(None, 0.0, refused.reason)
        return self._sender.send(Request(url, checked.addresses[0], headers, body, TIMEOUT_SECONDS))
