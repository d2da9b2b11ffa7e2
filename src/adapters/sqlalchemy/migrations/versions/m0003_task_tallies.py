"""Task tallies: live counts of tasks per (assignee, status, type), kept by triggers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 17:45:00.000000

A page of tasks counted its matches, and pages of users and tasks counted every task of the
users shown, by scanning tasks: at 100,000 tasks that was most of a request's time. These
counts now come from ``task_tallies`` (a few rows per user), kept exact by statement-level
triggers on ``tasks``.

The triggers never wait for a lock, so they add no lock order and no deadlock. Each statement
writes, per key it touched, one row: its net change plus the rows of that key it could fold in,
taking only rows no one else holds (``FOR UPDATE SKIP LOCKED``); several rows per key exist only
while writers overlap, and readers sum them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Unassigned tasks are tallied under the nil UUID (no user has it).
_NOBODY = "'00000000-0000-0000-0000-000000000000'::uuid"
_KEY = f"coalesce(assigned_to, {_NOBODY}), status, type"


def _net(rows: str, sign: str) -> str:
    """The count a transition table adds (``+``) to or takes (``-``) from each key."""
    return (
        f"SELECT {_KEY}, {sign}count(*) FROM {rows}"  # noqa: S608 - constants only
        " WHERE deleted_at IS NULL GROUP BY 1, 2, 3"
    )


def _write(change: str) -> str:
    """One statement: the keys' net ``change``, folded with the rows of those keys that no
    other transaction holds, back in as one row per key (none when it sums to zero)."""
    return f"""
        WITH change (assignee, status, type, tasks) AS ({change}),
        folded AS (
            DELETE FROM task_tallies WHERE ctid = ANY (ARRAY(
                SELECT tally.ctid FROM task_tallies AS tally
                JOIN change USING (assignee, status, type)
                FOR UPDATE OF tally SKIP LOCKED))
            RETURNING assignee, status, type, tasks
        )
        INSERT INTO task_tallies (assignee, status, type, tasks)
        SELECT assignee, status, type, sum(tasks)
        FROM (SELECT * FROM change UNION ALL SELECT * FROM folded) AS together
        GROUP BY 1, 2, 3 HAVING sum(tasks) <> 0;"""  # noqa: S608 - constants only


_FUNCTION = f"""
CREATE FUNCTION task_tallies_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_write(_net("new_rows", ""))}
    ELSIF TG_OP = 'UPDATE' THEN
        {_write(_net("new_rows", "") + " UNION ALL " + _net("old_rows", "-"))}
    ELSIF TG_OP = 'DELETE' THEN
        {_write(_net("old_rows", "-"))}
    ELSE  -- TRUNCATE
        DELETE FROM task_tallies;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 - built from constants only

_TRIGGERS = {
    "task_tallies_insert": "AFTER INSERT ON tasks REFERENCING NEW TABLE AS new_rows",
    "task_tallies_update": (
        "AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
    ),
    "task_tallies_delete": "AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows",
    "task_tallies_truncate": "AFTER TRUNCATE ON tasks",
}


def upgrade() -> None:
    op.create_table(
        "task_tallies",
        sa.Column("assignee", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("tasks", sa.BigInteger(), nullable=False),
    )
    op.create_index(
        "ix_task_tallies_key", "task_tallies", ["assignee", "status", "type"], unique=False
    )
    op.execute(_FUNCTION)
    for name, timing in _TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} {timing} FOR EACH STATEMENT "
            "EXECUTE FUNCTION task_tallies_track()"
        )
    op.execute(
        f"INSERT INTO task_tallies (assignee, status, type, tasks) "  # noqa: S608 - constants
        f"SELECT {_KEY}, count(*) FROM tasks WHERE deleted_at IS NULL GROUP BY 1, 2, 3"
    )


def downgrade() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER {name} ON tasks")
    op.execute("DROP FUNCTION task_tallies_track()")
    op.drop_index("ix_task_tallies_key", table_name="task_tallies")
    op.drop_table("task_tallies")
