"""The delivery log of an endpoint, and replaying a delivery."""

from __future__ import annotations

from uuid import UUID

from application.errors import NotFound
from application.paging import Page, PageRequest
from application.policy import Actor
from application.webhooks.endpoints import WebhookCase
from application.webhooks.views import AttemptView, DeliveryView


class ListDeliveries(WebhookCase):
    def __call__(
        self, actor: Actor, endpoint_id: UUID, page: PageRequest | None = None
    ) -> Page[AttemptView]:
        with self._uow:
            self._endpoint(actor, endpoint_id)
            return self._uow.deliveries.attempts(endpoint_id, page or PageRequest())


class ReplayDelivery(WebhookCase):
    """Send a delivery again, from the first attempt of the schedule, whatever became of it;
    it keeps its ``webhook-id``, so a receiver that has it already can tell."""

    def __call__(self, actor: Actor, endpoint_id: UUID, delivery_id: UUID) -> DeliveryView:
        with self._uow:
            self._endpoint(actor, endpoint_id)
            delivery = self._uow.deliveries.get(delivery_id, for_update=True)
            if delivery is None or delivery.endpoint_id != endpoint_id:
                raise NotFound("Delivery", delivery_id)
            delivery.replay(self._clock.now())
            self._uow.deliveries.save(delivery)
            self._uow.commit()
        return DeliveryView.of(delivery)
