"""Who the embedded PostgreSQL server runs as: us, or, when we are root, a system user of its own.

PostgreSQL refuses to run as root (a compromised server would own the machine). Development
containers and CI machines often are root, so there the server runs as ``task-assigner-db``, a
system user without a home or a shell, made on first use; it must be able to reach its data
folder and the server's binaries, which may sit below folders only root may enter.
"""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from entrypoints.devrun.processes import StartupError

SERVER_USER: Final = "task-assigner-db"


def server_uid() -> int | None:
    """The uid to run the server as, or None when we are not root (the server runs as us)."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam(SERVER_USER).pw_uid
    except KeyError:
        pass
    # useradd from PATH, wherever the system keeps it; the arguments are all ours.
    add_user = ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin"]
    made = subprocess.run(  # noqa: S603
        [*add_user, SERVER_USER], capture_output=True, text=True, check=False
    )
    try:  # also when another run made it at the same moment
        return pwd.getpwnam(SERVER_USER).pw_uid
    except KeyError:
        raise StartupError(
            f"PostgreSQL refuses to run as root, and the system user {SERVER_USER} to run it "
            f"as could not be made: {made.stderr.strip() or 'useradd failed'}"
        ) from None


def hand_over(folder: Path, uid: int) -> None:
    """Give ``folder`` (made by us) to the server's user."""
    entry = pwd.getpwuid(uid)
    os.chown(folder, entry.pw_uid, entry.pw_gid)


def let_reach(uid: int, paths: Iterable[Path]) -> None:
    """Make each path, and every folder above it, traversable by ``uid``: o+x where the user
    could not pass. Only what is needed changes, and what changed is said."""
    opened: list[str] = []
    for path in paths:
        for folder in [path, *path.parents]:
            mode = folder.stat()
            can_pass = mode.st_mode & (stat.S_IXUSR if mode.st_uid == uid else stat.S_IXOTH)
            if not can_pass:
                folder.chmod(stat.S_IMODE(mode.st_mode) | stat.S_IXOTH)
                opened.append(str(folder))
    if opened:
        print(
            f"Made {', '.join(opened)} traversable by others (o+x), so that {SERVER_USER} "
            "(PostgreSQL refuses to run as root) reaches its data and binaries.",
            file=sys.stderr,
        )
