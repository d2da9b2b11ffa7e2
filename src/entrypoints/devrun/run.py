"""The run loop of ``task-assigner run``: start the servers it owns, migrate, start the API,
the worker and the scheduler, and stop them all in order on Ctrl-C, on SIGTERM, or when one of
them dies: the programs first, then Redis, then PostgreSQL, which they all use."""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

from entrypoints.devrun.environment import (
    DATABASE_NAME,
    EMBEDDED_NOTE,
    POSTGRES_DIR,
    SHOWN_AS,
    development_environment,
    metrics_banner,
    program_metrics,
)
from entrypoints.devrun.output import Relay
from entrypoints.devrun.postgres_server import EmbeddedPostgres
from entrypoints.devrun.processes import StartupError, spawn, stop
from entrypoints.devrun.redis_server import EmbeddedRedis
from entrypoints.settings import ConfigurationError, Settings

API_START_SECONDS = 60.0
PROGRAMS = ("serve", "worker", "scheduler")


def _command(*args: str) -> list[str]:
    # The interpreter running us, not whatever `task-assigner` is first on PATH.
    return [sys.executable, "-m", "entrypoints.cli", *args]


def _wait_for_api(url: str, api: subprocess.Popen[bytes], stopping: threading.Event) -> bool:
    deadline = time.monotonic() + API_START_SECONDS
    while time.monotonic() < deadline and api.poll() is None and not stopping.is_set():
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 - our own URL
                return True
        except urllib.error.HTTPError:
            return True  # it answers; /healthz says what is down
        except OSError:
            stopping.wait(0.3)
    return False


def _script() -> str:
    """How to call `task-assigner` from here: the venv's script, which needs no activation."""
    script = Path(sys.executable).with_name("task-assigner")
    if not script.exists():
        return "task-assigner"
    return str(script.relative_to(Path.cwd()) if script.is_relative_to(Path.cwd()) else script)


def banner(settings: Settings, url: str, embedded: set[str]) -> str:
    def shown(name: str, value: str) -> str:
        return f"{value}  {EMBEDDED_NOTE}" if name in embedded else value

    exports = " ".join(
        f"{name}={shlex.quote(value)}"
        for name, value in (
            ("DATABASE_URL", settings.database_url),
            ("REDIS_URL", settings.redis_url),
        )
    )
    return "\n".join(
        [
            f"Task Assigner is running ({settings.environment}).",
            f"  API:      {url}/",
            f"  Docs:     {url}/docs  (OpenAPI document: {url}/openapi.json)",
            f"  Database: {shown('postgres', settings.database_url)}",
            f"  Redis:    {shown('redis', settings.redis_url)}",
            "Other commands, in another terminal, need this environment:",
            f"  export {exports}",
            f"Make an admin: {_script()} create-admin --email you@example.com --name You",
            "Press Ctrl-C to stop.",
        ]
    )


def supervise(environ: Mapping[str, str]) -> int:
    """Run until Ctrl-C / SIGTERM (exit 0) or until one of the services dies (exit 1)."""
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    dev = development_environment(environ)
    env = dev.env
    dev.var_dir.mkdir(parents=True, exist_ok=True)
    postgres = (
        EmbeddedPostgres(dev.var_dir / POSTGRES_DIR, to_pipe=True) if dev.embeds_postgres else None
    )
    redis = EmbeddedRedis(dev.var_dir, to_pipe=True) if dev.embeds_redis else None
    embedded = {name for name, server in (("postgres", postgres), ("redis", redis)) if server}
    programs: list[tuple[str, subprocess.Popen[bytes]]] = []
    relay = Relay()
    try:
        if postgres is not None:
            try:
                postgres.start()
            finally:
                relay.follow("postgres", postgres.process.stdout if postgres.process else None)
            env["DATABASE_URL"] = postgres.create_database(DATABASE_NAME)
        if redis is not None:
            try:
                env["REDIS_URL"] = redis.start()
            finally:
                relay.follow("redis", redis.process.stdout if redis.process else None)
        # Made once here: two API workers creating the development secret at once could each
        # write a different one.
        settings = Settings.from_env(env)
        if stopping.is_set():
            return 0
        if subprocess.run(_command("db", "upgrade"), env=env, check=False).returncode:  # noqa: S603
            if stopping.is_set():  # Ctrl-C reached the migration too
                return 0
            print("Migrations failed; not starting.", file=sys.stderr)
            return 1
        metrics = program_metrics(dev.var_dir)
        for name in PROGRAMS:
            if not stopping.is_set():
                child = spawn(_command(name), {**env, **metrics[name]}, stdout=subprocess.PIPE)
                relay.follow(SHOWN_AS[name], child.stdout)
                programs.append((name, child))
        host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host  # noqa: S104
        url = f"http://{host}:{settings.port}"
        if programs and _wait_for_api(url, programs[0][1], stopping):
            print(banner(settings, url, embedded), flush=True)
            print(metrics_banner(url, metrics), flush=True)
        return _watch(programs, stopping)
    except (StartupError, ConfigurationError, ValueError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 1
    finally:
        _stop_all(programs, redis, postgres)
        relay.finish()


def _watch(programs: list[tuple[str, subprocess.Popen[bytes]]], stopping: threading.Event) -> int:
    while not stopping.wait(0.5):
        for name, process in programs:
            if process.poll() is not None:
                print(
                    f"`task-assigner {name}` exited ({process.returncode}); stopping.",
                    file=sys.stderr,
                )
                return 1
    return 0


def _stop_all(
    programs: list[tuple[str, subprocess.Popen[bytes]]],
    redis: EmbeddedRedis | None,
    postgres: EmbeddedPostgres | None,
) -> None:
    """The programs, then the servers they use. Says so only if something had started."""
    started = bool(programs) or any(
        server is not None and server.process is not None for server in (redis, postgres)
    )
    if started:
        print("Stopping...", file=sys.stderr, flush=True)
    stop([process for _, process in programs])
    if redis is not None:
        redis.stop()
    if postgres is not None:
        postgres.stop()
    if started:
        print("Stopped.", file=sys.stderr, flush=True)
