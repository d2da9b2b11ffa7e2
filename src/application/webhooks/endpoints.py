"""Managing webhook endpoints: create, list, read, change, delete, rotate the secret."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.errors import NotFound
from application.policy import Actor
from application.ports import Clock
from application.webhooks.destinations import check_url
from application.webhooks.ports import Resolver, WebhookUnitOfWork
from application.webhooks.rules import may_manage_webhook
from application.webhooks.signing import new_secret
from application.webhooks.views import WebhookView
from domain.status import WebhookEventType
from domain.webhooks import WebhookEndpoint

KIND = "Webhook"


class WebhookCase:
    def __init__(
        self, uow: WebhookUnitOfWork, clock: Clock, resolver: Resolver, allow_private: bool
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._resolver = resolver
        self._allow_private = allow_private

    def _endpoint(self, actor: Actor, endpoint_id: UUID) -> WebhookEndpoint:
        """The endpoint, locked, once the caller may manage it. Another user's endpoint is
        not found rather than forbidden: its existence is nobody else's business."""
        endpoint = self._uow.webhooks.get(endpoint_id, for_update=True)
        if endpoint is None or not may_manage_webhook(actor, endpoint):
            raise NotFound(KIND, endpoint_id)
        return endpoint

    def _url(self, url: str) -> str:
        return check_url(url, self._resolver, allow_private=self._allow_private)


class CreateWebhook(WebhookCase):
    def __call__(
        self,
        actor: Actor,
        *,
        url: str,
        event_types: frozenset[WebhookEventType],
        enabled: bool = True,
    ) -> WebhookView:
        endpoint = WebhookEndpoint.create(
            owner_id=actor.user_id,
            url=self._url(url),
            event_types=event_types,
            secret=new_secret(),
            now=self._clock.now(),
            enabled=enabled,
        )
        with self._uow:
            self._uow.webhooks.add(endpoint)
            self._uow.commit()
        return WebhookView.of(endpoint, with_secret=True)


class ListWebhooks(WebhookCase):
    def __call__(self, actor: Actor) -> list[WebhookView]:
        with self._uow:
            owner = None if actor.is_admin else actor.user_id
            return [WebhookView.of(endpoint) for endpoint in self._uow.webhooks.listed(owner)]


class GetWebhook(WebhookCase):
    def __call__(self, actor: Actor, endpoint_id: UUID) -> WebhookView:
        with self._uow:
            return WebhookView.of(self._endpoint(actor, endpoint_id))


class UpdateWebhook(WebhookCase):
    def __call__(
        self,
        actor: Actor,
        endpoint_id: UUID,
        *,
        url: str | None = None,
        event_types: frozenset[WebhookEventType] | None = None,
        enabled: bool | None = None,
    ) -> WebhookView:
        checked = None if url is None else self._url(url)
        with self._uow:
            endpoint = self._endpoint(actor, endpoint_id)
            endpoint.update(
                now=self._clock.now(), url=checked, event_types=event_types, enabled=enabled
            )
            self._uow.commit()
        return WebhookView.of(endpoint)


class DeleteWebhook(WebhookCase):
    def __call__(self, actor: Actor, endpoint_id: UUID) -> None:
        with self._uow:
            endpoint = self._endpoint(actor, endpoint_id)
            self._uow.webhooks.remove(endpoint)
            self._uow.commit()


class RotateWebhookSecret(WebhookCase):
    """A new secret, shown once; the previous one keeps signing beside it for a while
    (:data:`domain.webhooks.ROTATION_OVERLAP`), so receivers can switch without a gap."""

    def __call__(self, actor: Actor, endpoint_id: UUID) -> WebhookView:
        now: datetime = self._clock.now()
        with self._uow:
            endpoint = self._endpoint(actor, endpoint_id)
            endpoint.rotate_secret(new_secret(), now)
            self._uow.commit()
        return WebhookView.of(endpoint, with_secret=True)
