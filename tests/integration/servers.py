"""PostgreSQL servers of the tests' own: the embedded server of :mod:`entrypoints.devrun` (the
one `task-assigner run` starts), in a temporary folder, tuned for tests."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from entrypoints.devrun.postgres_server import EmbeddedPostgres

#: Nothing here must survive a crash: durability would only cost the tests time.
TEST_SERVER_SETTINGS = {"fsync": "off", "full_page_writes": "off", "synchronous_commit": "off"}


@contextmanager
def own_postgres() -> Iterator[EmbeddedPostgres]:
    """A started server that the caller may stop and start again; stopped and removed at the
    end, whatever happened. Its folder is under /tmp rather than pytest's (mode 0700): as root
    the server runs as a user of its own, who must reach it; and the socket's path stays short.
    """
    root = Path(tempfile.mkdtemp(prefix="ta-pg-"))
    server = EmbeddedPostgres(root / "data", TEST_SERVER_SETTINGS)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
