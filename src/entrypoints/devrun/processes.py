"""Child processes we own: each in its own session, stopped politely and then for good.

Every child runs in its own session, so a Ctrl-C in the terminal reaches only the process that
started it, which then stops them in the order it chooses. On Linux a child also gets a signal
from the kernel if its parent dies, so nothing outlives whoever started it.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import IO

STOP_GRACE_SECONDS = 10.0
#: A unix socket path must fit in sockaddr_un (108 bytes on Linux), with a little to spare.
MAX_SOCKET_PATH = 100


class StartupError(RuntimeError):
    """Something the service needs could not be started; the message says what, in one line."""


def spawn(
    argv: list[str],
    env: Mapping[str, str],
    *,
    user: int | None = None,
    stdout: IO[bytes] | int | None = None,
    cwd: Path | None = None,
    death_signal: int = signal.SIGTERM,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` in a session of its own, as ``user`` (a uid; only root may ask), with
    ``death_signal`` sent to it by the kernel should we die first. ``stdout`` (a file, or
    ``subprocess.PIPE``) gets its stderr too."""

    def before_exec() -> None:
        # Runs after the switch of user: a credential change would clear the request.
        if sys.platform == "linux":
            pr_set_pdeathsig = 1
            ctypes.CDLL(None).prctl(pr_set_pdeathsig, death_signal)

    stderr = subprocess.STDOUT if stdout is not None else None
    group: int | None = None
    extra_groups: list[int] | None = None
    if user is not None:  # its own group only, none of ours
        import pwd

        group, extra_groups = pwd.getpwuid(user).pw_gid, []
    return subprocess.Popen(  # noqa: S603 - our own argv
        argv, env=env, stdout=stdout, stderr=stderr, cwd=cwd,
        start_new_session=True, preexec_fn=before_exec,
        user=user, group=group, extra_groups=extra_groups,
    )  # fmt: skip


def stop(
    processes: list[subprocess.Popen[bytes]],
    grace: float = STOP_GRACE_SECONDS,
    signum: int = signal.SIGTERM,
) -> None:
    """Ask each process to stop with ``signum``, wait up to ``grace`` seconds, then SIGKILL
    whatever is left of its process group.

    The ask goes to the leader alone: it knows how to stop its own children (gunicorn its
    workers, PostgreSQL its backends, in the order each needs); the SIGKILL goes to the whole
    group, to reach whatever a leader that died left behind."""
    for process in processes:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signum)
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def socket_dir(preferred: Path, socket_name: str) -> tuple[Path, Path | None]:
    """The folder for a unix socket: ``preferred`` when the socket's path fits there, else a
    new short temporary folder (a deep checkout), returned twice so the caller removes it."""
    if len(str(preferred / socket_name)) <= MAX_SOCKET_PATH:
        return preferred, None
    own = Path(tempfile.mkdtemp(prefix="task-assigner-"))
    return own, own


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on now (the kernel's pick)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie waiting for whoever reaps orphans here."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        if Path("/proc/self/stat").exists():
            return False
        try:  # no /proc (macOS): a zombie counts as alive there
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
