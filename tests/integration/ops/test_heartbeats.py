"""The worker's and the scheduler's health checks: a heartbeat each writes to Redis, which
`task-assigner health worker|scheduler` looks for (exit 0) or misses (exit 1, one line)."""

from __future__ import annotations

import subprocess
import time

import pytest
from redis import Redis

from entrypoints.heartbeat import TTL_SECONDS, Heartbeat, fresh_beats, this_host
from entrypoints.worker import _SweepWorker
from integration.ops.support import TASK_ASSIGNER, Start, wait_until


def health(role: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [TASK_ASSIGNER, "health", role], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("role", ["worker", "scheduler"])
def test_the_health_command_follows_a_real_process_from_start_to_stop(
    role: str, start: Start, ops_env: dict[str, str]
) -> None:
    before = health(role, ops_env)
    assert before.returncode == 1
    assert before.stdout == ""
    assert before.stderr == (
        f"Error: No {role} on {this_host()} has written a heartbeat in the last {TTL_SECONDS} s:"
        f" is `task-assigner {role}` running?\n"
    )

    service = start(role)
    wait_until(lambda: health(role, ops_env).returncode == 0, 20, f"the {role}'s heartbeat")
    alive = health(role, ops_env)
    assert alive.stdout.startswith(f"{role} {service.process.pid} on {this_host()}: heartbeat ")

    assert service.stop() == 0, service.output()
    assert health(role, ops_env).returncode == 1  # a clean stop says so at once


def test_a_heartbeat_goes_stale_after_its_ttl(redis: Redis[bytes]) -> None:
    heartbeat = Heartbeat(redis, "worker", ttl=1)
    heartbeat.beat()
    assert [beat.host for beat in fresh_beats(redis, "worker")] == [this_host()]
    time.sleep(1.3)
    assert fresh_beats(redis, "worker") == []


def test_beats_are_written_at_most_every_few_seconds(redis: Redis[bytes]) -> None:
    heartbeat = Heartbeat(redis, "scheduler", every=60)
    heartbeat.beat()
    redis.delete(heartbeat.key)
    heartbeat.beat()  # the loop comes round again at once: nothing written
    assert fresh_beats(redis, "scheduler") == []
    assert fresh_beats(redis, "worker", host=this_host()) == []


def test_only_heartbeats_from_the_asked_host_count(redis: Redis[bytes]) -> None:
    redis.set("task-assigner:heartbeat:worker:elsewhere:42", str(time.time()), ex=TTL_SECONDS)
    assert fresh_beats(redis, "worker", host=this_host()) == []
    [beat] = fresh_beats(redis, "worker")
    assert (beat.host, beat.pid) == ("elsewhere", "42")


def test_an_idle_worker_beats_well_within_the_ttl(redis: Redis[bytes]) -> None:
    # RQ beats once per wait for a job; its own default wait (405 s) would let the key expire.
    assert _SweepWorker([], connection=redis).dequeue_timeout < TTL_SECONDS / 2
