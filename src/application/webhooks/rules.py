"""Who may manage a webhook endpoint, and which events it receives.

An admin manages every endpoint, and the endpoints of admins receive the events of every
task. Anyone else manages their own endpoints, which receive the events of the tasks they
created or were assigned to when the event happened. Receiving follows reading: every
authenticated user may read every task, but a webhook pushes a stream of changes to a third
party, so it is limited to the tasks a user is involved in; an admin's is not. The outbox's
fan-out applies the receiving half in its one statement (``adapters.sqlalchemy.outbox``).
"""

from __future__ import annotations

from application.policy import Actor
from domain.webhooks import WebhookEndpoint


def may_manage_webhook(actor: Actor, endpoint: WebhookEndpoint) -> bool:
    return actor.is_admin or endpoint.owner_id == actor.user_id
