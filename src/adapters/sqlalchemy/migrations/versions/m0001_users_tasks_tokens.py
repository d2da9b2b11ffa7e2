"""Users, tasks, refresh tokens and login attempts

Revision ID: 0001
Revises:
Create Date: 2026-11-26 17:08:14.659188
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import adapters.sqlalchemy.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = "deleted_at IS NULL"
_OVERDUE = (
    "status IN ('in_progress', 'pending', 'unassigned') "
    "AND deleted_at IS NULL AND deadline IS NOT NULL"
)


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column(
            "last_failure_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_login_attempts")),
    )
    op.create_table(
        "users",
        sa.Column("external_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column(
            "created_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("external_id", name=op.f("pk_users")),
    )
    op.create_index(
        "ix_users_page",
        "users",
        ["created_at", "external_id"],
        unique=False,
        postgresql_where=sa.text(_ACTIVE),
    )
    op.create_index(
        "uq_users_email_active",
        "users",
        ["email"],
        unique=True,
        postgresql_where=sa.text(_ACTIVE),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("token_id", sa.String(length=64), nullable=False),
        sa.Column("family", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "expires_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("used_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column(
            "revoked_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.external_id"], name=op.f("fk_refresh_tokens_user_id_users")
        ),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_refresh_tokens")),
    )
    op.create_index(op.f("ix_refresh_tokens_family"), "refresh_tokens", ["family"], unique=False)
    op.create_index(op.f("ix_refresh_tokens_user_id"), "refresh_tokens", ["user_id"], unique=False)
    op.create_table(
        "tasks",
        sa.Column("external_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("deadline", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("assigned_to", sa.Uuid(), nullable=True),
        sa.Column(
            "completed_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "created_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "updated_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "deleted_at", adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.CheckConstraint(
            "(status = 'completed') = (completed_at IS NOT NULL)",
            name=op.f("ck_tasks_completed_at_iff_completed"),
        ),
        sa.CheckConstraint(
            "status IN ('completed', 'failed', 'in_progress', 'pending', 'unassigned')",
            name=op.f("ck_tasks_status"),
        ),
        sa.CheckConstraint("type IN ('low', 'normal', 'urgent')", name=op.f("ck_tasks_type")),
        sa.ForeignKeyConstraint(
            ["assigned_to"], ["users.external_id"], name=op.f("fk_tasks_assigned_to_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.external_id"], name=op.f("fk_tasks_created_by_users")
        ),
        sa.PrimaryKeyConstraint("external_id", name=op.f("pk_tasks")),
    )
    op.create_index(
        "ix_tasks_assignee_created",
        "tasks",
        ["assigned_to", "created_at", "external_id"],
        unique=False,
        postgresql_where=sa.text(_ACTIVE),
    )
    op.create_index(
        "ix_tasks_assignee_status",
        "tasks",
        ["assigned_to", "status"],
        unique=False,
        postgresql_where=sa.text(_ACTIVE),
    )
    op.create_index(
        "ix_tasks_created",
        "tasks",
        ["created_at", "external_id"],
        unique=False,
        postgresql_where=sa.text(_ACTIVE),
    )
    op.create_index(
        "ix_tasks_deadline",
        "tasks",
        ["deadline", "external_id"],
        unique=False,
        postgresql_where=sa.text(_ACTIVE),
    )
    op.create_index(
        "ix_tasks_overdue",
        "tasks",
        ["deadline"],
        unique=False,
        postgresql_where=sa.text(_OVERDUE),
    )
    op.create_index(
        "ix_tasks_status_created",
        "tasks",
        ["status", "created_at", "external_id"],
        unique=False,
        postgresql_where=sa.text(_ACTIVE),
    )
    op.create_index(
        "ix_tasks_type_created",
        "tasks",
        ["type", "created_at", "external_id"],
        unique=False,
        postgresql_where=sa.text(_ACTIVE),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_tasks_type_created",
        table_name="tasks",
        postgresql_where=sa.text(_ACTIVE),
    )
    op.drop_index(
        "ix_tasks_status_created",
        table_name="tasks",
        postgresql_where=sa.text(_ACTIVE),
    )
    op.drop_index(
        "ix_tasks_overdue",
        table_name="tasks",
        postgresql_where=sa.text(_OVERDUE),
    )
    op.drop_index(
        "ix_tasks_deadline",
        table_name="tasks",
        postgresql_where=sa.text(_ACTIVE),
    )
    op.drop_index(
        "ix_tasks_created",
        table_name="tasks",
        postgresql_where=sa.text(_ACTIVE),
    )
    op.drop_index(
        "ix_tasks_assignee_status",
        table_name="tasks",
        postgresql_where=sa.text(_ACTIVE),
    )
    op.drop_index(
        "ix_tasks_assignee_created",
        table_name="tasks",
        postgresql_where=sa.text(_ACTIVE),
    )
    op.drop_table("tasks")
    op.drop_index(op.f("ix_refresh_tokens_user_id"), table_name="refresh_tokens")
    op.drop_index(op.f("ix_refresh_tokens_family"), table_name="refresh_tokens")
    op.drop_table("refresh_tokens")
    op.drop_index(
        "uq_users_email_active",
        table_name="users",
        postgresql_where=sa.text(_ACTIVE),
    )
    op.drop_index(
        "ix_users_page",
        table_name="users",
        postgresql_where=sa.text(_ACTIVE),
    )
    op.drop_table("users")
    op.drop_table("login_attempts")
