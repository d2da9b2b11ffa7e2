"""`task-assigner run`: its defaults, and that stopping leaves no process behind."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from entrypoints.supervisor import (
    MAX_SOCKET_PATH,
    EmbeddedRedis,
    service_env,
    spawn,
    stop,
)


class TestServiceEnvironment:
    def test_nothing_given_means_development_sqlite_and_embedded_redis(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)
        env, embedded = service_env({"PATH": "/bin"})
        assert embedded
        assert env["APP_ENV"] == "development"
        assert env["VAR_DIR"] == str(tmp_path / "var")
        assert env["DATABASE_URL"] == f"sqlite:///{tmp_path}/var/task_assigner.sqlite3"
        assert "REDIS_URL" not in env
        assert "JWT_SECRET" not in env  # Settings keeps a development one in var/
        assert env["PATH"] == "/bin"

    def test_what_the_caller_sets_is_used(self) -> None:
        given = {
            "DATABASE_URL": "postgresql://db/app",
            "REDIS_URL": "redis://cache:6379/0",
            "JWT_SECRET": "x" * 40,
            "APP_ENV": "production",
            "HOST": "0.0.0.0",
            "PORT": "9000",
        }
        env, embedded = service_env(given)
        assert not embedded
        assert {key: env[key] for key in given} == given


def test_the_redis_socket_moves_to_a_short_path_when_var_is_deep(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * (MAX_SOCKET_PATH + 10)) / "var"
    redis = EmbeddedRedis(deep)
    try:
        assert len(str(redis.socket)) <= MAX_SOCKET_PATH
    finally:
        redis.stop()
    assert not redis.socket.parent.exists()


def test_a_shallow_var_keeps_the_socket_in_var(tmp_path: Path) -> None:
    assert EmbeddedRedis(tmp_path).socket == tmp_path / "redis.sock"


def _alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie waiting for whoever reaps orphans here."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_for_file(path: Path) -> str:
    deadline = time.monotonic() + 10
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)
    return path.read_text().strip()


def test_stop_kills_what_ignores_sigterm(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    stubborn = spawn(
        [sys.executable, "-c", "import signal, time, pathlib; "
         "signal.signal(signal.SIGTERM, signal.SIG_IGN); "
         f"pathlib.Path({str(ready)!r}).write_text('1'); time.sleep(60)"],
        os.environ,
    )  # fmt: skip
    _wait_for_file(ready)
    started = time.monotonic()
    stop([stubborn], grace=0.5)
    assert stubborn.returncode is not None
    assert time.monotonic() - started < 5


def test_stop_reaches_grandchildren_in_the_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild"
    # The shell is the child; the sleep it starts in the background is the grandchild, and
    # ignores SIGTERM: when the shell has gone, only the group-wide SIGKILL can reach it.
    script = f"(trap '' TERM; exec sleep 60) & echo $! > {pid_file}; wait"
    parent = spawn(["/bin/sh", "-c", script], os.environ)
    grandchild = int(_wait_for_file(pid_file))
    assert _alive(grandchild)
    stop([parent], grace=5)
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _alive(grandchild)
