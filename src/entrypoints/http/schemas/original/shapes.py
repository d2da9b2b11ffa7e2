"""What the original's clients read: the strict representations, with times written as DRF
wrote them, the completion percentage unrounded (an integer 0 with no tasks), and pages in
the original's envelope (no ``limit``, no cursors: those travel in the ``Link`` header)."""

from __future__ import annotations

from typing import Any

from marshmallow import fields

from application.read_models import UserStats
from entrypoints.http.schemas import history, tasks, users
from entrypoints.http.schemas.common import page_of
from entrypoints.http.schemas.original.wording import ZuluDateTime


class Percentage(fields.Float):
    """Written as computed: a float, or the integer 0 (``fields.Float`` would write 0.0)."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return value


class UserSchema(users.UserSchema):
    completion_percentage = Percentage(
        required=True,
        metadata={"description": "completed / assigned * 100, unrounded; 0 with no tasks."},
    )
    created_at = ZuluDateTime(required=True)
    updated_at = ZuluDateTime(required=True)

    def percentage(self, stats: UserStats) -> float:
        if stats.assigned == 0:
            return 0
        return stats.completed / stats.assigned * 100


class TaskSchema(tasks.TaskSchema):
    class Meta:
        # Webhook reminders are the strict API's; the original's task had no such field.
        exclude = ("remind_before_seconds",)

    assigned_to = fields.Nested(
        UserSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The assignee; null while the task is unassigned."},
    )
    deadline = ZuluDateTime(required=True, allow_none=True)
    completed_at = ZuluDateTime(required=True, allow_none=True)
    created_at = ZuluDateTime(required=True)
    updated_at = ZuluDateTime(required=True)


class TaskMessageSchema(tasks.TaskMessageSchema):
    task = fields.Nested(TaskSchema, required=True)


class HistoryEntrySchema(history.HistoryEntrySchema):
    at = ZuluDateTime(required=True)


TaskPageSchema = page_of(TaskSchema, "PaginatedTaskList", limit=False)
UserPageSchema = page_of(UserSchema, "PaginatedUserList", limit=False)
HistoryPageSchema = page_of(HistoryEntrySchema, "HistoryPage", limit=False)
