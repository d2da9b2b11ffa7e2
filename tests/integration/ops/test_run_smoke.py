"""`task-assigner run` on a fresh clone with nothing configured: what `make run` does for a
new user. The clone's code runs on this interpreter's installed dependencies (a new venv would
need the network and minutes); everything else is the clone's own: its `var/`, its SQLite
file, its embedded Redis."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from integration.ops.support import alive, descendants, free_port, wait_until

REPOSITORY = Path(__file__).resolve().parents[3]
#: Whatever the caller's shell has set must not leak in: the point is the embedded defaults.
CONFIGURATION = ("DATABASE_URL", "REDIS_URL", "JWT_SECRET", "APP_ENV", "VAR_DIR", "HOST")


@dataclass
class Running:
    clone: Path
    env: dict[str, str]
    base: str
    process: subprocess.Popen[str]
    log: Path

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


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", str(REPOSITORY), str(clone)], check=True)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in CONFIGURATION}
    env |= {"PORT": str(port), "PYTHONPATH": str(clone / "src"), "BCRYPT_ROUNDS": "4"}
    log = tmp_path / "run.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "entrypoints.cli", "run"],
            cwd=clone, env=env, stdout=sink, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip
    run = Running(clone, env, f"http://127.0.0.1:{port}", process, log)
    yield run
    if process.poll() is None:  # the test failed half-way: still leave nothing behind
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def _healthy(run: Running) -> bool:
    assert run.process.poll() is None, run.log.read_text()
    try:
        return run.call("GET", "/healthz")[0] == 200
    except OSError:
        return False


def test_run_from_a_clean_clone_serves_expires_and_stops_cleanly(running: Running) -> None:
    imported = running.cli("--help")  # the clone's code, not the checkout the venv points at
    assert imported.returncode == 0
    where = subprocess.run(
        [sys.executable, "-c", "import entrypoints; print(entrypoints.__file__)"],
        cwd=running.clone, env=running.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(running.clone / "src"))

    wait_until(lambda: _healthy(running), 60, "the API to be healthy")
    wait_until(lambda: "Press Ctrl-C to stop." in running.log.read_text(), 10, "the banner")
    banner = running.log.read_text()
    assert f"API:      {running.base}/" in banner
    assert f"Docs:     {running.base}/docs" in banner
    assert (running.clone / "var" / "redis.sock").is_socket()
    assert (running.clone / "var" / "jwt_secret").is_file()

    made = running.cli("create-admin", "--email", "root@example.com", "--name", "Root",
                       ADMIN_PASSWORD="a long password")  # fmt: skip
    assert made.returncode == 0, made.stderr
    status, body = running.call(
        "POST", "/auth/login", {"email": "root@example.com", "password": "a long password"}
    )
    assert status == 200, body
    token = body["token"]["access"]

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
    assert len(started) >= 6  # redis, api (+2 workers), worker, scheduler
    running.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
    assert running.process.wait(timeout=30) == 0, running.log.read_text()
    time.sleep(0.2)  # orphans are reaped by whoever adopted them
    assert [pid for pid in started if alive(pid)] == []
    assert not (running.clone / "var" / "redis.sock").exists()
    assert "Stopped." in running.log.read_text()
