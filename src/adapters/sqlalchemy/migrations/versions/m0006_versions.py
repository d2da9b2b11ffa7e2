"""Versions of tasks and users, which their ETags name

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-16 10:00:00.000000

Every task and user gets ``version``, an integer that moves on with each change of the row (the
aggregates bump it, and so does the expiry sweep). Existing rows start at 1: no client holds
an ETag of theirs yet, so any starting value is as good as another.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLES = ("tasks", "users")


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in _TABLES:
        op.drop_column(table, "version")
