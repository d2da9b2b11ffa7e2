"""Webhooks: the outbox, endpoints, deliveries and their log; task reminders

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 09:10:04.820707

The transactional outbox (``webhook_outbox``), written in the transaction of each change;
webhook endpoints; one delivery per (event, endpoint), leased by the dispatcher; the log of
every attempt. Tasks gain ``remind_before_seconds`` and ``reminded_for`` (the deadline a
reminder went out for), with a partial index of the tasks still to be reminded.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import adapters.sqlalchemy.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENT_TYPES = (
    "type IN ('task.assigned', 'task.completed', 'task.created', "
    "'task.deadline_approaching', 'task.deleted', 'task.expired', 'task.started')"
)
_REMIND = (
    "status IN ('in_progress', 'pending', 'unassigned') AND deleted_at IS NULL "
    "AND deadline IS NOT NULL AND reminded_for IS DISTINCT FROM deadline"
)


def upgrade() -> None:
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("event_types", postgresql.ARRAY(sa.String(length=32)), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("previous_secret", sa.String(length=64), nullable=True),
        sa.Column(
            "previous_secret_until",
            adapters.sqlalchemy.types.UtcDateTime(timezone=True),
            nullable=True,
        ),
        sa.Column(
            "failing_since", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "created_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.external_id"], name=op.f("fk_webhook_endpoints_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_index(
        op.f("ix_webhook_endpoints_owner_id"), "webhook_endpoints", ["owner_id"], unique=False
    )
    op.create_table(
        "webhook_outbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column(
            "occurred_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("task", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column(
            "dispatched_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            _EVENT_TYPES,
            name=op.f("ck_webhook_outbox_type"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.external_id"], name=op.f("fk_webhook_outbox_task_id_tasks")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_outbox")),
    )
    op.create_index(
        "ix_webhook_outbox_undispatched",
        "webhook_outbox",
        ["occurred_at"],
        unique=False,
        postgresql_where=sa.text("dispatched_at IS NULL"),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column(
            "next_attempt_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "lease_until", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "created_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_webhook_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["webhook_outbox.id"],
            name=op.f("fk_webhook_deliveries_event_id_webhook_outbox"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
    )
    op.create_index(
        "ix_webhook_deliveries_due",
        "webhook_deliveries",
        ["next_attempt_at"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        op.f("ix_webhook_deliveries_event_id"), "webhook_deliveries", ["event_id"], unique=False
    )
    op.create_table(
        "webhook_attempts",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("delivery_id", sa.Uuid(), nullable=False),
        sa.Column("endpoint_id", sa.Uuid(), nullable=False),
        sa.Column("at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["webhook_deliveries.id"],
            name=op.f("fk_webhook_attempts_delivery_id_webhook_deliveries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_webhook_attempts_endpoint_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_attempts")),
    )
    op.create_index(
        op.f("ix_webhook_attempts_delivery_id"), "webhook_attempts", ["delivery_id"], unique=False
    )
    op.create_index(
        "ix_webhook_attempts_endpoint_at",
        "webhook_attempts",
        ["endpoint_id", "at", "id"],
        unique=False,
    )
    op.add_column("tasks", sa.Column("remind_before_seconds", sa.Integer(), nullable=True))
    op.add_column(
        "tasks",
        sa.Column(
            "reminded_for", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
    )
    op.create_index(
        "ix_tasks_remind",
        "tasks",
        ["deadline"],
        unique=False,
        postgresql_where=sa.text(_REMIND),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_tasks_remind",
        table_name="tasks",
        postgresql_where=sa.text(_REMIND),
    )
    op.drop_column("tasks", "reminded_for")
    op.drop_column("tasks", "remind_before_seconds")
    op.drop_index("ix_webhook_attempts_endpoint_at", table_name="webhook_attempts")
    op.drop_index(op.f("ix_webhook_attempts_delivery_id"), table_name="webhook_attempts")
    op.drop_table("webhook_attempts")
    op.drop_index(op.f("ix_webhook_deliveries_event_id"), table_name="webhook_deliveries")
    op.drop_index(
        "ix_webhook_deliveries_due",
        table_name="webhook_deliveries",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_table("webhook_deliveries")
    op.drop_index(
        "ix_webhook_outbox_undispatched",
        table_name="webhook_outbox",
        postgresql_where=sa.text("dispatched_at IS NULL"),
    )
    op.drop_table("webhook_outbox")
    op.drop_index(op.f("ix_webhook_endpoints_owner_id"), table_name="webhook_endpoints")
    op.drop_table("webhook_endpoints")
