# mypy: allow-untyped-decorators
"""Webhook endpoints: register where events go, read the delivery log, replay a delivery.
Who may do what is the application's (``application.webhooks.rules``)."""

from __future__ import annotations

from functools import cache
from typing import Any, Final
from uuid import UUID

from dependency_injector.wiring import Provide, inject
from flask.views import MethodView

from application.paging import Page
from application.policy import Actor
from application.webhooks.endpoints import (
    CreateWebhook,
    DeleteWebhook,
    GetWebhook,
    ListWebhooks,
    RotateWebhookSecret,
    UpdateWebhook,
)
from application.webhooks.log import ListDeliveries, ReplayDelivery
from application.webhooks.views import AttemptView, DeliveryView, WebhookView
from entrypoints.container import Container
from entrypoints.http.api import Blueprint
from entrypoints.http.dialects.base import Dialect
from entrypoints.http.schemas.common import PageQuerySchema
from entrypoints.http.schemas.webhooks import (
    AttemptPageSchema,
    DeliverySchema,
    WebhookCreateSchema,
    WebhookListSchema,
    WebhookPayloadSchema,
    WebhookSchema,
    WebhookSecretSchema,
    WebhookUpdateSchema,
)
from entrypoints.http.security import authenticated

_SIGNED: Final = {
    name: {"schema": {"type": "string"}, "description": description}
    for name, description in (
        ("webhook-id", "The event's id: the same on every retry, so duplicates can be dropped."),
        ("webhook-timestamp", "When this attempt was made, in Unix seconds."),
        (
            "webhook-signature",
            "`v1,<base64 HMAC-SHA256 of id.timestamp.body>`, space-separated "
            "(two while a rotated secret overlaps).",
        ),
    )
}
#: The request the service sends to a registered URL (an OpenAPI callback).
_EVENTS: Final = {
    "event": {
        "{$request.body#/url}": {
            "post": {
                "summary": "An event, delivered",
                "parameters": [
                    {"in": "header", "name": name, "required": True, **spec}
                    for name, spec in _SIGNED.items()
                ],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": WebhookPayloadSchema}},
                },
                "responses": {
                    "2XX": {"description": "Delivered."},
                    "410": {"description": "Gone: the endpoint is disabled."},
                    "default": {"description": "Failed: retried on the schedule."},
                },
            }
        }
    }
}


@cache
def blueprint(dialect: Dialect) -> Blueprint:
    """Served by the strict dialect only (the original had no webhooks)."""
    blp = Blueprint(
        "Webhooks",
        __name__,
        dialect=dialect,
        url_prefix="/webhooks",
        description="Events POSTed to your URL, signed as Standard Webhooks sign them.",
    )

    @blp.route("")
    class Webhooks(MethodView):
        @authenticated(blp)
        @blp.response(200, WebhookListSchema)
        @inject
        def get(
            self, actor: Actor, list_webhooks: ListWebhooks = Provide[Container.list_webhooks]
        ) -> dict[str, list[WebhookView]]:
            """The caller's endpoints (an admin's: everyone's)."""
            return {"results": list_webhooks(actor)}

        @authenticated(blp)
        @blp.arguments(WebhookCreateSchema)
        @blp.response(201, WebhookSecretSchema)
        @blp.errors(400, 413)
        @blp.doc(callbacks=_EVENTS)
        @inject
        def post(
            self,
            body: dict[str, Any],
            actor: Actor,
            create_webhook: CreateWebhook = Provide[Container.create_webhook],
        ) -> WebhookView:
            """Register an endpoint. The answer holds its secret, shown this once. An admin's
            endpoint receives the events of every task; anyone else's, those of the tasks they
            created or are assigned to."""
            return create_webhook(actor, **body)

    @blp.route("/<uuid:webhook_id>")
    class WebhookDetail(MethodView):
        @authenticated(blp)
        @blp.response(200, WebhookSchema)
        @blp.errors(404)
        @inject
        def get(
            self,
            webhook_id: UUID,
            actor: Actor,
            get_webhook: GetWebhook = Provide[Container.get_webhook],
        ) -> WebhookView:
            """One endpoint (its owner, or an admin)."""
            return get_webhook(actor, webhook_id)

        @authenticated(blp)
        @blp.arguments(WebhookUpdateSchema)
        @blp.response(200, WebhookSchema)
        @blp.errors(400, 404, 413)
        @inject
        def patch(
            self,
            body: dict[str, Any],
            webhook_id: UUID,
            actor: Actor,
            update_webhook: UpdateWebhook = Provide[Container.update_webhook],
        ) -> WebhookView:
            """Change the URL, the event types, or enable and disable it."""
            return update_webhook(actor, webhook_id, **body)

        @authenticated(blp)
        @blp.response(204)
        @blp.errors(404)
        @inject
        def delete(
            self,
            webhook_id: UUID,
            actor: Actor,
            delete_webhook: DeleteWebhook = Provide[Container.delete_webhook],
        ) -> None:
            """Delete it, with its pending deliveries and its log."""
            delete_webhook(actor, webhook_id)

    @blp.route("/<uuid:webhook_id>/rotate_secret", methods=["POST"])
    @authenticated(blp)
    @blp.response(200, WebhookSecretSchema)
    @blp.errors(404)
    @inject
    def rotate_secret(
        webhook_id: UUID,
        actor: Actor,
        rotate: RotateWebhookSecret = Provide[Container.rotate_webhook_secret],
    ) -> WebhookView:
        """A new secret, shown this once. For 24 hours deliveries carry a signature by each."""
        return rotate(actor, webhook_id)

    @blp.route("/<uuid:webhook_id>/deliveries", methods=["GET"])
    @authenticated(blp)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, AttemptPageSchema)
    @blp.errors(404)
    @inject
    def deliveries(
        query: dict[str, Any],
        webhook_id: UUID,
        actor: Actor,
        list_deliveries: ListDeliveries = Provide[Container.list_deliveries],
    ) -> Page[AttemptView]:
        """Every delivery attempt, newest first: when, the answer's status, how long, what
        went wrong."""
        return list_deliveries(actor, webhook_id, **query)

    @blp.route("/<uuid:webhook_id>/deliveries/<uuid:delivery_id>/replay", methods=["POST"])
    @authenticated(blp)
    @blp.response(202, DeliverySchema)
    @blp.errors(404)
    @inject
    def replay(
        webhook_id: UUID,
        delivery_id: UUID,
        actor: Actor,
        replay_delivery: ReplayDelivery = Provide[Container.replay_delivery],
    ) -> DeliveryView:
        """Deliver it again, from the first attempt of the retry schedule, with the same
        `webhook-id`."""
        return replay_delivery(actor, webhook_id, delivery_id)

    return blp
