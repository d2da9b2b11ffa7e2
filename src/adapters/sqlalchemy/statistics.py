"""Per-user task statistics as SQL, shared by the user and task pages.

One grouped aggregate answers every user of a page at once: never one query per user, let
alone per figure. It reads the task tallies (a few rows per user, see
:mod:`adapters.sqlalchemy.tallies`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from adapters.sqlalchemy import tallies
from application.read_models import UserStats

STAT_COLUMNS = ("assigned", "completed", "in_progress", "failed")


def fetch_stats(connection: Connection, user_ids: Collection[UUID]) -> dict[UUID, UserStats]:
    """One statement for all of ``user_ids`` (none when the collection is empty)."""
    if not user_ids:
        return {}
    query = tallies.stats_by_assignee(list(user_ids))
    rows = connection.execute(query).mappings()
    return {row["assigned_to"]: stats_from(row) for row in rows}


def stats_from(row: Any, prefix: str = "") -> UserStats:
    """UserStats from a row holding the counts (NULL, from an outer join, means none)."""
    return UserStats(**{name: row[prefix + name] or 0 for name in STAT_COLUMNS})
