"""The transactional outbox: the rows that tell webhooks what happened, written in the
transaction of the change itself — by the task repository for each command, and by the sweeps'
own statements — so that an event exists exactly when its change committed.

An event is kept only while some enabled endpoint listens for its type: delivery goes to the
endpoints that listen when it is fanned out, so nothing is lost by not writing what no one
could receive, and a service without webhooks writes no outbox at all (an expiry of 100,000
tasks then costs no more than its history).

Each row keeps the task's row as its change committed it (``task``), so that a delivery shows
the task as the event left it, however much later it goes out. (Events committed together —
an overdue task failed by the command that found it — show the task as committed.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final
from uuid import UUID, uuid4

from adapters.sqlalchemy.mapping import task_to_row
from adapters.sqlalchemy.tables import quoted
from domain.events import TaskEvent
from domain.status import WEBHOOK_EVENTS, WebhookEventType
from domain.task import Task

#: Columns of the task table that are not part of a task's snapshot (the sweeps' bookkeeping).
_NOT_SNAPSHOT: Final = ("reminded_for",)


def _json_safe(value: object) -> object:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def snapshot(task: Task) -> dict[str, Any]:
    """The task's row as JSON, as PostgreSQL's ``to_jsonb`` of the row writes it."""
    return {key: _json_safe(value) for key, value in task_to_row(task).items()}


def rows_for(task: Task, events: Iterable[TaskEvent]) -> list[dict[str, Any]]:
    """Outbox rows for the events of ``task`` that webhooks may receive."""
    state = snapshot(task)
    return [
        {
            "id": uuid4(),
            "type": WEBHOOK_EVENTS[event.type].value,
            "task_id": event.task_id,
            "actor_id": event.actor_id,
            "occurred_at": event.at,
            "task": state,
        }
        for event in events
        if event.type in WEBHOOK_EVENTS
    ]


def listened(event_type: str) -> str:
    """SQL that is true while an enabled endpoint listens for ``event_type`` (an SQL value)."""
    return f"""EXISTS (
        SELECT 1 FROM webhook_endpoints
        WHERE enabled AND {event_type} = ANY (event_types)
    )"""  # noqa: S608 - built from constants


#: The columns of an outbox row of :func:`rows_for`, in order.
MESSAGE_COLUMNS: Final = ("id", "type", "task_id", "actor_id", "occurred_at", "task")


def snapshot_of(row: str, event: WebhookEventType) -> str:
    """SQL for a sweep's ``RETURNING`` list: the task's row ``row`` (its table's name) as the
    outbox keeps it, or NULL while no one listens for ``event``, so that a sweep builds no
    JSON, and keeps no wide row, for nothing."""
    dropped = " ".join(f"- {quoted(column)}" for column in _NOT_SNAPSHOT)
    listening = listened(quoted(event.value))
    return f"CASE WHEN {listening} THEN to_jsonb({row}) {dropped} END AS snapshot"


def insert_from(source: str, event: WebhookEventType) -> str:
    """SQL that writes one outbox row per row of ``source`` (a CTE that returned
    ``external_id`` and :func:`snapshot_of`), done by the system at ``:now``: for a sweep's
    statement."""
    return f"""
        INSERT INTO webhook_outbox (id, type, task_id, actor_id, occurred_at, task)
        SELECT gen_random_uuid(), {quoted(event.value)}, changed.external_id, NULL, :now,
               changed.snapshot
        FROM {source} AS changed
        WHERE {listened(quoted(event.value))}
    """  # noqa: S608 - built from constants


def task_from_snapshot(data: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot's values with their types back (UUIDs and times), keyed as the task row."""
    row = dict(data)
    for key in ("external_id", "created_by", "assigned_to"):
        if row.get(key) is not None:
            row[key] = UUID(row[key])
    for key in ("deadline", "completed_at", "created_at", "updated_at", "deleted_at"):
        if row.get(key) is not None:
            row[key] = datetime.fromisoformat(row[key])
    return row
