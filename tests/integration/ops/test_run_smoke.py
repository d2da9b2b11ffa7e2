"""`task-assigner run` on a fresh clone with nothing configured: what `make run` does for a
new user. The clone's code runs on this interpreter's installed dependencies (a new venv would
need the network and minutes); everything else is the clone's own: its `var/`, its embedded
PostgreSQL (data kept between runs) and its embedded Redis."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from entrypoints.devrun.environment import EMBEDDED_NOTE
from entrypoints.devrun.processes import alive, free_port, stop
from integration.ops.support import descendants, wait_until

REPOSITORY = Path(__file__).resolve().parents[3]
#: Whatever the caller's shell has set must not leak in: the point is the embedded defaults.
CONFIGURATION = ("DATABASE_URL", "REDIS_URL", "JWT_SECRET", "APP_ENV", "VAR_DIR", "HOST")


@dataclass
class Running:
    clone: Path
    env: dict[str, str]
    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def call(self, method: str, path: str, body: object = None, token: str = "") -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def cli(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "entrypoints.cli", *args],
            cwd=self.clone, env={**self.env, **env}, capture_output=True, text=True, check=False,
        )  # fmt: skip

    def database_url(self) -> str:
        """The database the banner names: other commands are pointed at it by hand."""
        found = re.search(r"Database: (\S+)  " + re.escape(EMBEDDED_NOTE), self.output())
        assert found, self.output()
        return found[1]

    def wait_until_up(self) -> None:
        wait_until(lambda: _healthy(self), 60, "the API to be healthy")
        wait_until(lambda: "Press Ctrl-C to stop." in self.output(), 10, "the banner")

    def press_ctrl_c(self) -> None:
        self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert self.process.wait(timeout=60) == 0, self.output()


Launch = Callable[[], Running]


@pytest.fixture
def launch() -> Iterator[Launch]:
    """``launch()`` runs `task-assigner run` in one fresh clone, on a port of its own each time.
    The clone is under /tmp, not pytest's folder (mode 0700): as root the embedded PostgreSQL
    runs as a user of its own, who must reach the clone's var/."""
    root = Path(tempfile.mkdtemp(prefix="ta-run-"))
    clone = root / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPOSITORY), str(clone)], check=True)
    env = {key: value for key, value in os.environ.items() if key not in CONFIGURATION}
    env |= {"PYTHONPATH": str(clone / "src"), "BCRYPT_ROUNDS": "4"}
    runs: list[Running] = []

    def run() -> Running:
        port = free_port()
        log = root / f"run-{len(runs)}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "-m", "entrypoints.cli", "run"],
                cwd=clone, env={**env, "PORT": str(port)}, stdout=sink, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        runs.append(Running(clone, env, f"http://127.0.0.1:{port}", process, log))
        return runs[-1]

    yield run
    # The test failed half-way: still leave nothing behind.
    stop([running.process for running in runs], grace=60, signum=signal.SIGINT)
    shutil.rmtree(root, ignore_errors=True)


def _healthy(run: Running) -> bool:
    assert run.process.poll() is None, run.output()
    try:
        return run.call("GET", "/healthz")[0] == 200
    except OSError:
        return False


def _log_in(run: Running) -> str:
    status, body = run.call(
        "POST", "/auth/login", {"email": "root@example.com", "password": "a long password"}
    )
    assert status == 200, body
    return str(body["token"]["access"])


def test_run_from_a_clean_clone_serves_expires_and_stops_cleanly(launch: Launch) -> None:
    running = launch()
    imported = running.cli("--help")  # the clone's code, not the checkout the venv points at
    assert imported.returncode == 0
    where = subprocess.run(
        [sys.executable, "-c", "import entrypoints; print(entrypoints.__file__)"],
        cwd=running.clone, env=running.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(running.clone / "src"))

    running.wait_until_up()
    banner = running.output()
    var = running.clone / "var"
    assert f"API:      {running.base}/" in banner
    assert f"Docs:     {running.base}/docs" in banner
    assert running.database_url().startswith(f"postgresql://postgres@/task_assigner?host={var}/")
    assert f"Redis:    unix://{var}/redis.sock  {EMBEDDED_NOTE}" in banner
    assert (var / "redis.sock").is_socket()
    assert (var / "postgres" / "PG_VERSION").is_file()
    assert (var / "jwt_secret").is_file()

    made = running.cli("create-admin", "--email", "root@example.com", "--name", "Root",
                       ADMIN_PASSWORD="a long password", DATABASE_URL=running.database_url(),
                       REDIS_URL=f"unix://{var}/redis.sock")  # fmt: skip
    assert made.returncode == 0, made.stderr
    token = _log_in(running)

    # The promise to a new user: a task due in a moment fails on time, by itself.
    deadline = datetime.now(UTC) + timedelta(seconds=1.5)
    status, task = running.call(
        "POST", "/tasks", {"name": "Soon", "deadline": deadline.isoformat()}, token
    )
    assert status == 201, task
    wait_until(
        lambda: (
            running.call("GET", f"/tasks/{task['external_id']}", token=token)[1]["status"]
            == "failed"
        ),
        1.5 + 2.5,
        "the task to fail",
    )
    assert datetime.now(UTC) - deadline < timedelta(seconds=2.5)

    started = descendants(running.process.pid)
    assert len(started) >= 8  # postgres (+ its workers), redis, api (+2), worker, scheduler
    running.press_ctrl_c()
    time.sleep(0.2)  # orphans are reaped by whoever adopted them
    assert [pid for pid in started if alive(pid)] == []
    assert not (var / "redis.sock").exists()
    assert not (var / "postgres" / "postmaster.pid").exists()
    assert "Stopped." in running.output()


def test_the_data_outlives_a_restart_and_a_second_run_is_refused(launch: Launch) -> None:
    first = launch()
    first.wait_until_up()
    made = first.cli("create-admin", "--email", "root@example.com", "--name", "Root",
                     ADMIN_PASSWORD="a long password", DATABASE_URL=first.database_url(),
                     REDIS_URL="redis://unused")  # fmt: skip
    assert made.returncode == 0, made.stderr

    second = launch()  # same folder, another port
    assert second.process.wait(timeout=60) == 1
    assert second.output().splitlines() == [
        "Cannot start: A PostgreSQL server already runs on var/postgres: is another "
        "`task-assigner run` running from this folder?"
    ]
    assert _healthy(first)
    first.press_ctrl_c()

    again = launch()
    again.wait_until_up()
    _log_in(again)  # the admin made before the restart
    again.press_ctrl_c()
