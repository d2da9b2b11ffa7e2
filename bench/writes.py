"""``create_task_rps``, ``assign_rps``, ``complete_rps``: the writes through the API, each
against a bare Flask POST that parses and answers a JSON body (``bare_post_rps``).

Every request must do real work: a create makes a new task each time; an assign moves a
pending task of a pool to the next user (cycling through the pool, so that concurrent
requests rarely meet on one row); a completion needs a task of its own, so every round
completes fresh tasks of the pool, assigned to the caller (completing is the assignee's)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import psycopg2

from bench.dataset import user_id_sql
from bench.load_test import Request
from bench.processes import RunningApi
from bench.rounds import Target

#: What a client creating a task sends.
CREATE_BODY: Final = json.dumps(
    {"name": "Bench task", "description": "Created under load.", "type": "normal"}
)

#: Pending tasks without a deadline (nothing expires them mid-run), assigned to user 1 (the
#: caller), created long ago so that they sit at the end of the newest-first list.
_POOL = f"""
INSERT INTO tasks (external_id, name, description, type, status, deadline, created_by,
                   assigned_to, completed_at, created_at, updated_at, deleted_at)
SELECT md5('pool' || i)::uuid, 'Pool task ' || i, '', 'normal', 'pending', NULL,
       {user_id_sql("1")}, {user_id_sql("1")}, NULL,
       now() - interval '1000 days', now() - interval '1000 days', NULL
FROM generate_series(1, %(count)s) AS i
RETURNING external_id
"""


def load_pool(connection: psycopg2.extensions.connection, count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(_POOL, {"count": count})
        ids = sorted(str(row[0]) for row in cursor.fetchall())
    connection.commit()
    return ids


def write_targets(
    api: RunningApi,
    token: str,
    database_url: str,
    pool: list[str],
    user_ids: list[str],
    rounds: int,
    folder: Path,
) -> list[Target]:
    """The three write figures; the pool's first half is assigned, the rest completed."""
    half = len(pool) // 2
    to_assign, to_complete = pool[:half], pool[half:]
    per_round = len(to_complete) // max(rounds, 1)
    assign_files, complete_files = [], []
    for index in range(rounds):
        # Each round moves every task to another user than the round before did.
        assign = folder / f"assign-{index}.requests"
        assign.write_text(
            "".join(
                "/tasks/assign_task\t"
                + json.dumps({"task_id": task, "user_id": user_ids[(i + index) % len(user_ids)]})
                + "\n"
                for i, task in enumerate(to_assign)
            )
        )
        complete = folder / f"complete-{index}.requests"
        chunk = to_complete[index * per_round : (index + 1) * per_round]
        complete.write_text("".join(f"/tasks/{task}/complete_task\n" for task in chunk))
        assign_files.append(assign)
        complete_files.append(complete)
    common = {"server": api, "token": token, "database_url": database_url}
    # wrk needs one URL to connect to; the request files say what each request is.
    return [
        Target("create_task", request=Request("/tasks", "POST", CREATE_BODY), **common),
        Target(
            "assign",
            request=Request("/tasks/assign_task", "POST"),
            sequences=tuple(assign_files),
            **common,
        ),
        Target(
            "complete",
            request=Request("/tasks", "POST"),
            sequences=tuple(complete_files),
            **common,
        ),
    ]
