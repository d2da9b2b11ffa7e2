"""Logins of their own, ending all their tokens; login attempts per address, under digests

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-09 10:00:00.000000

Each refresh-token family becomes a row of ``logins``, which every token of the login (access
tokens too) names; a revoked family becomes an ended login. Access tokens issued before this
revision name no login and are refused: their holders refresh (their refresh tokens do name
one) or log in again.

``login_attempts`` is keyed by digests of the client address and of (account, address) now,
rather than by the typed address (which could overflow its column). Its counts are only a
throttle's recent memory: they are dropped, not converted.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import adapters.sqlalchemy.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = "fk_refresh_tokens_family_logins"


def _time(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "logins",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        _time("created_at", nullable=False),
        _time("ended_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.external_id"], name=op.f("fk_logins_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logins")),
    )
    op.create_index(op.f("ix_logins_user_id"), "logins", ["user_id"], unique=False)
    # When a family began was not kept: the migration's time stands in.
    op.execute(
        "INSERT INTO logins (id, user_id, created_at, ended_at) "
        "SELECT family, min(user_id::text)::uuid, now(), max(revoked_at) "
        "FROM refresh_tokens GROUP BY family"
    )
    op.create_foreign_key(_FK, "refresh_tokens", "logins", ["family"], ["id"])
    op.drop_column("refresh_tokens", "revoked_at")

    op.drop_table("login_attempts")
    op.create_table(
        "login_attempts",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("last_attempt_at", nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_attempts")),
    )


def downgrade() -> None:
    op.drop_table("login_attempts")
    op.create_table(
        "login_attempts",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        _time("last_failure_at", nullable=False),
        sa.PrimaryKeyConstraint("email", name=op.f("pk_login_attempts")),
    )

    op.add_column("refresh_tokens", _time("revoked_at", nullable=True))
    op.execute(
        "UPDATE refresh_tokens SET revoked_at = logins.ended_at "
        "FROM logins WHERE logins.id = refresh_tokens.family"
    )
    op.drop_constraint(_FK, "refresh_tokens", type_="foreignkey")
    op.drop_index(op.f("ix_logins_user_id"), table_name="logins")
    op.drop_table("logins")
