"""A PgBouncer of the test's own, in transaction mode, in front of the run's PostgreSQL.

Debian's ``pgbouncer`` (CI installs it before the tests): its absence fails the test that needs
it, never skips it. Like PostgreSQL it refuses to run as root, so as root it runs as the user the
embedded PostgreSQL runs as; that user can also reach the embedded server's socket folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from sqlalchemy import make_url

from entrypoints.devrun.processes import free_port, spawn, stop
from entrypoints.devrun.server_user import hand_over, let_reach, server_uid

#: Where Debian puts it; root's PATH has /usr/sbin, other users' may not.
SEARCHED = ("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")
START_SECONDS = 20.0


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer") or shutil.which("pgbouncer", path=os.pathsep.join(SEARCHED))
    if found is None:
        raise AssertionError(
            "pgbouncer is not installed, and this test runs the service behind it: "
            "install Debian's package (apt-get install pgbouncer), as .ci/run does."
        )
    return found


@dataclass(frozen=True)
class Bouncer:
    url: str
    log: Path


@contextmanager
def pgbouncer(database_url: str, *, pool_size: int, server_timezone: str) -> Iterator[Bouncer]:
    """PgBouncer on a free loopback port, pooling ``database_url``'s database in transaction
    mode with at most ``pool_size`` server connections, each with ``server_timezone``.

    ``options`` is the one startup parameter PgBouncer 1.18 cannot pass on (our engine sends
    ``-c timezone=UTC`` in it): it is ignored, as the README tells operators to do, so the
    service's sessions run in ``server_timezone`` and must not depend on it."""
    upstream = make_url(database_url)
    host = upstream.host or str(upstream.query.get("host", "127.0.0.1"))
    port = upstream.port or int(str(upstream.query.get("port", "5432")))
    target = f"host={host} port={port} dbname={upstream.database} user={upstream.username}"
    if upstream.password:
        target += f" password='{upstream.password}'"
    folder = Path(tempfile.mkdtemp(prefix="ta-pgb-"))
    listen = free_port()
    ini = folder / "pgbouncer.ini"
    ini.write_text(
        f"[databases]\n{upstream.database} = {target} timezone={server_timezone}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {listen}\nunix_socket_dir =\n"
        "auth_type = any\npool_mode = transaction\n"
        f"default_pool_size = {pool_size}\nmax_client_conn = 200\n"
        "ignore_startup_parameters = options\n"
        "logfile =\npidfile =\n"
    )
    uid = server_uid()
    if uid is not None:
        hand_over(folder, uid)
        let_reach(uid, [folder])
    log = folder / "pgbouncer.log"
    with log.open("wb") as sink:
        process = spawn([pgbouncer_binary(), str(ini)], os.environ, user=uid, stdout=sink)
    url = upstream.set(drivername="postgresql", host="127.0.0.1", port=listen, query={})
    url = url.set(password=None)  # auth_type any: PgBouncer logs in with its own
    bouncer = Bouncer(url.render_as_string(hide_password=False), log)
    try:
        _wait_until_it_answers(process, bouncer)
        yield bouncer
    finally:
        stop([process], grace=5, signum=signal.SIGINT)  # SIGINT: PgBouncer's quick shutdown
        shutil.rmtree(folder, ignore_errors=True)


def _wait_until_it_answers(process: subprocess.Popen[bytes], bouncer: Bouncer) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            psycopg2.connect(bouncer.url, connect_timeout=1).close()
            return
        except psycopg2.Error:
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"PgBouncer did not start:\n{bouncer.log.read_text(errors='replace')}"
                ) from None
            time.sleep(0.05)
