"""Real `task-assigner` processes (worker, scheduler, ...) against the test database and Redis.

Every process runs in its own session so that stopping it also stops whatever it started; a
test's processes are stopped at its end, whatever happened, and their output is kept in files
that a failing assertion can show.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis

from application.policy import Actor
from entrypoints.container import Container, build_container
from entrypoints.settings import Settings
from integration.ops.support import SECRET, TASK_ASSIGNER, Service, Start


@pytest.fixture
def ops_env(database_url: str, redis_url: str) -> dict[str, str]:
    """What a deployment would set: the test database and the test Redis database."""
    return {
        **os.environ,
        "APP_ENV": "production",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "JWT_SECRET": SECRET,
        "BCRYPT_ROUNDS": "4",
    }


@pytest.fixture
def start(tmp_path: Path, ops_env: dict[str, str]) -> Iterator[Start]:
    """``start("worker")`` runs ``task-assigner worker``; stopped when the test ends."""
    services: list[Service] = []

    def run(*args: str, env: dict[str, str] | None = None) -> Service:
        log = tmp_path / f"{'-'.join(args)}-{len(services)}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [TASK_ASSIGNER, *args],
                env=env or ops_env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        service = Service(" ".join(args), process, log)
        services.append(service)
        return service

    yield run
    for service in services:
        service.stop()


@pytest.fixture
def container(database_url: str, redis_url: str) -> Iterator[Container]:
    """The application in this process, to arrange data and read it back."""
    settings = Settings(
        database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, bcrypt_rounds=4
    )
    container = build_container(settings)
    yield container
    container.engine().dispose()


@pytest.fixture
def redis(redis_url: str) -> Iterator[Redis[bytes]]:
    client: Redis[bytes] = Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def admin(container: Container) -> Actor:
    view = container.create_admin()(email="ops@example.com", name="Ops", password="long enough")
    return Actor(view.external_id, is_admin=True)
