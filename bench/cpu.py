"""CPU time spent per request by the API workers and by PostgreSQL, read from /proc.

Throughput on a shared 2-core machine moves with whatever else runs; the CPU each request
costs does not, so it is reported beside every req/s figure to tell a slow service from a
busy machine."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg2

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name is in parentheses and may hold spaces: split after it.
    return text.rsplit(")", 1)[1].split()


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def backends_of(database_url: str) -> set[int]:
    """PostgreSQL server processes connected to this database (other than our probe)."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = {int(row[0]) for row in cursor.fetchall()}
    connection.close()
    return pids


def cpu_seconds(pids: set[int]) -> dict[int, float]:
    """User + system CPU of each live process, in seconds (fields 14 and 15 of stat)."""
    seconds = {}
    for pid in pids:
        fields = _stat(pid)
        if fields is not None:
            seconds[pid] = (int(fields[11]) + int(fields[12])) / _TICKS
    return seconds


def spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings (a process born in between counts in full)."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())
