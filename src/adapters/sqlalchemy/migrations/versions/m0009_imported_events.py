"""Task history: an ``imported`` event for each task copied from the original service

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 10:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = (
    "'assigned', 'completed', 'created', 'deleted', 'edited', 'expired', 'started', 'unassigned'"
)
_AFTER = (
    "'assigned', 'completed', 'created', 'deleted', 'edited', 'expired', 'imported', "
    "'started', 'unassigned'"
)


def upgrade() -> None:
    _check_types(_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM task_events WHERE type = 'imported'")
    _check_types(_BEFORE)


def _check_types(values: str) -> None:
    op.drop_constraint(op.f("ck_task_events_type"), "task_events", type_="check")
    op.create_check_constraint(op.f("ck_task_events_type"), "task_events", f"type IN ({values})")
