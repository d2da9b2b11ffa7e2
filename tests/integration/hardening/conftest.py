"""Hostile input, races and faults against the real app (Flask test client, real PostgreSQL
and Redis, the real clock unless a test moves it).

Each test gets its own container and app over the run's database; requests that must race
run in threads, each thread with its own test client, all sharing the app's connection pool.
"""

from __future__ import annotations

from integration.api.fixtures import alice, app, client, clock, container, sign_up

__all__ = ["alice", "app", "client", "clock", "container", "sign_up"]
