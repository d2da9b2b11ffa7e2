"""Email keys: addresses compare casefolded, so that ``Straße@…`` and ``STRASSE@…`` are one

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:10:00.000000

Addresses were stored lower-cased and compared as stored. They are now kept as given (but for
the domain part) and compared by their key (:func:`domain.user.email_key`), which the unique
index of active users moves onto. Keys are computed here in Python, since SQL's ``lower`` is not
``casefold``. Two active users whose addresses fold to one key cannot both keep it: the
migration stops and names them, for an operator to decide (rename or delete one of them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from domain.user import email_key

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_USERS = sa.table(
    "users",
    sa.column("external_id", sa.Uuid()),
    sa.column("email", sa.String()),
    sa.column("email_key", sa.String()),
    sa.column("deleted_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.add_column("users", sa.Column("email_key", sa.String(length=254), nullable=True))
    connection = op.get_bind()
    holders: defaultdict[str, list[str]] = defaultdict(list)
    for row in connection.execute(
        sa.select(_USERS.c.external_id, _USERS.c.email, _USERS.c.deleted_at)
    ):
        key = email_key(row.email)
        connection.execute(
            sa.update(_USERS).where(_USERS.c.external_id == row.external_id).values(email_key=key)
        )
        if row.deleted_at is None:
            holders[key].append(row.email)
    clashes = {key: emails for key, emails in holders.items() if len(emails) > 1}
    if clashes:
        listed = "; ".join(", ".join(emails) for emails in clashes.values())
        raise RuntimeError(
            f"Active users whose addresses differ only by case: {listed}. "
            "Rename or delete all but one of each, then migrate again."
        )
    op.alter_column("users", "email_key", nullable=False)
    op.drop_index("uq_users_email_active", table_name="users")
    op.create_index(
        "uq_users_email_active",
        "users",
        ["email_key"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("uq_users_email_active", table_name="users")
    op.create_index(
        "uq_users_email_active",
        "users",
        ["email"],
        unique=True,
        postgresql_where=sa.text("deleted_at IS NULL"),
    )
    op.drop_column("users", "email_key")
