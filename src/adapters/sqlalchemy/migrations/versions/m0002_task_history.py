"""Task history: one row per change to a task, the system's expiries included

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 17:08:14.659188
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import adapters.sqlalchemy.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "task_events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint(
            "type IN ('assigned', 'completed', 'created', 'deleted', 'edited', 'expired', "
            "'started', 'unassigned')",
            name=op.f("ck_task_events_type"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.external_id"], name=op.f("fk_task_events_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.external_id"], name=op.f("fk_task_events_task_id_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_events")),
    )
    op.create_index("ix_task_events_task_at", "task_events", ["task_id", "at", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_task_events_task_at", table_name="task_events")
    op.drop_table("task_events")
