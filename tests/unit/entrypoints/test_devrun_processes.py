"""The children of `task-assigner run`: stopping them leaves no process behind."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from entrypoints.devrun.processes import MAX_SOCKET_PATH, alive, socket_dir, spawn, stop


def _wait_for_file(path: Path) -> str:
    deadline = time.monotonic() + 10
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)
    return path.read_text().strip()


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", f"import signal, time, pathlib; {code}"]


def test_stop_kills_what_ignores_the_polite_signal(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    stubborn = spawn(
        _python("signal.signal(signal.SIGTERM, signal.SIG_IGN); "
                f"pathlib.Path({str(ready)!r}).write_text('1'); time.sleep(60)"),
        os.environ,
    )  # fmt: skip
    _wait_for_file(ready)
    started = time.monotonic()
    stop([stubborn], grace=0.5)
    assert stubborn.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 5


def test_stop_asks_with_the_signal_the_program_wants(tmp_path: Path) -> None:
    # PostgreSQL's fast shutdown is SIGINT: SIGTERM would wait for every client to leave.
    ready, got = tmp_path / "ready", tmp_path / "got"
    program = spawn(
        _python("signal.signal(signal.SIGINT, lambda *_: "
                f"(pathlib.Path({str(got)!r}).write_text('INT'), exit(0))); "
                f"pathlib.Path({str(ready)!r}).write_text('1'); time.sleep(60)"),
        os.environ,
    )  # fmt: skip
    _wait_for_file(ready)
    stop([program], grace=5, signum=signal.SIGINT)
    assert program.returncode == 0
    assert got.read_text() == "INT"


def test_stop_reaches_grandchildren_in_the_group(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild"
    # The shell is the child; the sleep it starts in the background is the grandchild, and
    # ignores SIGTERM: when the shell has gone, only the group-wide SIGKILL can reach it.
    script = f"(trap '' TERM; exec sleep 60) & echo $! > {pid_file}; wait"
    parent = spawn(["/bin/sh", "-c", script], os.environ)
    grandchild = int(_wait_for_file(pid_file))
    assert alive(grandchild)
    stop([parent], grace=1)
    deadline = time.monotonic() + 5
    while alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(grandchild)


def test_a_child_is_stopped_by_the_kernel_when_its_parent_dies(tmp_path: Path) -> None:
    pid_file = tmp_path / "child"
    parent = spawn(
        [sys.executable, "-c",
         "import os, sys, time; from entrypoints.devrun.processes import spawn; "
         "child = spawn(['sleep', '60'], os.environ); "
         f"open({str(pid_file)!r}, 'w').write(str(child.pid)); time.sleep(60)"],
        os.environ,
    )  # fmt: skip
    child = int(_wait_for_file(pid_file))
    assert alive(child)
    parent.kill()  # no clean-up code runs: only the kernel can tell the child
    parent.wait()
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(child)


def test_a_socket_moves_to_a_short_folder_when_its_path_is_too_long(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * MAX_SOCKET_PATH) / "var"
    folder, own = socket_dir(deep, "redis.sock")
    assert own == folder
    assert folder.is_dir()
    assert len(str(folder / "redis.sock")) <= MAX_SOCKET_PATH
    own.rmdir()


def test_a_socket_stays_in_a_shallow_folder(tmp_path: Path) -> None:
    assert socket_dir(tmp_path, "redis.sock") == (tmp_path, None)


def test_alive_tells_a_running_process_from_a_reaped_one() -> None:
    child = spawn(["sleep", "60"], os.environ)
    assert alive(child.pid)
    stop([child], grace=1)
    assert not alive(child.pid)
