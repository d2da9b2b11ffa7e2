"""The body of a webhook delivery, as the Standard Webhooks specification suggests:
``{"type", "timestamp", "data"}``, where ``data`` holds the event's id, its actor (null for
the system) and the task as the API shows it (``TaskSchema``), as the event left it."""

from __future__ import annotations

import json
from typing import Any

from adapters.sqlalchemy.outbox import task_from_snapshot
from application.queries import UserQueries
from application.read_models import TaskView
from application.webhooks.ports import OutboxEvent
from domain.status import TaskStatus, TaskType
from entrypoints.http.schemas.history import ActorSchema
from entrypoints.http.schemas.tasks import TaskSchema

_TASK = TaskSchema()
_ACTOR = ActorSchema()


class JsonPayloads:
    def __init__(self, users: UserQueries) -> None:
        self._users = users

    def render(self, event: OutboxEvent) -> str:
        return json.dumps(self.payload(event), separators=(",", ":"))

    def payload(self, event: OutboxEvent) -> dict[str, Any]:
        actor = None if event.actor_id is None else self._users.get(event.actor_id)
        return {
            "type": event.type.value,
            "timestamp": event.occurred_at.isoformat().replace("+00:00", "Z"),
            "data": {
                "event_id": str(event.id),
                "actor": None if actor is None else _ACTOR.dump(actor),
                "task": _TASK.dump(self._task(event)),
            },
        }

    def _task(self, event: OutboxEvent) -> TaskView:
        row = task_from_snapshot(event.task)
        assignee = row["assigned_to"]
        return TaskView(
            external_id=row["external_id"],
            name=row["name"],
            description=row["description"],
            assigned_to=None if assignee is None else self._users.get(assignee),
            status=TaskStatus(row["status"]),
            type=TaskType(row["type"]),
            deadline=row["deadline"],
            completed_at=row["completed_at"],
            created_by=row["created_by"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            version=row["version"],
            remind_before_seconds=row.get("remind_before_seconds"),
        )
