"""``webhook_events_per_s`` and ``webhook_lag_p99_s``: events delivered to a local receiver by
the real ``task-assigner scheduler`` and workers, and the lag from an event's commit to its
arrival.

The lag is measured at a steady rate (each event its own transaction, as commands commit
them), so it is what a receiver sees when the service keeps up; the rate is measured on a
burst (many events in one commit), which is what the deliveries can sustain.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import psycopg2
from redis import Redis

from bench.config import BenchConfig
from bench.database import fresh_database, raw_connection
from bench.dataset import load_users, user_id_sql
from bench.expiry_lag import percentile
from bench.processes import TASK_ASSIGNER, child, service_env
from bench.progress import say, step
from bench.report import Metric

STEADY_PER_SECOND = 20
STEADY_SECONDS = 10
BURST_EVENTS = 2000
WEBHOOK_WORKERS = 2
#: A task and its task.created outbox row in one statement, as a command commits them.
_EVENTS = f"""
    WITH made AS (
        INSERT INTO tasks (external_id, name, description, type, status, deadline, created_by,
                           assigned_to, completed_at, created_at, updated_at)
        SELECT gen_random_uuid(), 'Webhook probe', '', 'normal', 'unassigned', NULL,
               {user_id_sql("1")}, NULL, NULL, now(), now()
        FROM generate_series(1, %(count)s)
        RETURNING *
    )
    INSERT INTO webhook_outbox (id, type, task_id, actor_id, occurred_at, task)
    SELECT gen_random_uuid(), 'task.created', external_id, created_by, now(),
           to_jsonb(made) - 'reminded_for'
    FROM made
    RETURNING task_id
"""
_ENDPOINT = f"""
    INSERT INTO webhook_endpoints (id, owner_id, url, event_types, enabled, secret,
                                   created_at, updated_at)
    VALUES (gen_random_uuid(), {user_id_sql("1")}, %(url)s, ARRAY['task.created'], true,
            'whsec_YmVuY2gtc2VjcmV0LWJlbmNoLXNlY3JldC0xMjM0', now(), now())
"""


@contextmanager
def _receiver() -> Iterator[tuple[str, dict[str, float]]]:
    """A local receiver: the time each task's event first arrived, by task id."""
    arrived: dict[str, float] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            at = time.time()
            task_id = json.loads(body)["data"]["task"]["external_id"]
            with lock:
                arrived.setdefault(task_id, at)
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks", arrived
    finally:
        server.shutdown()
        server.server_close()


def _commit_events(connection: psycopg2.extensions.connection, count: int) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(_EVENTS, {"count": count})
        ids = [str(row[0]) for row in cursor.fetchall()]
    connection.commit()
    return ids


def _wait_for(arrived: dict[str, float], ids: list[str], timeout: float) -> None:
    give_up = time.monotonic() + timeout
    while not all(task_id in arrived for task_id in ids):
        if time.monotonic() > give_up:
            missing = sum(task_id not in arrived for task_id in ids)
            raise RuntimeError(f"{missing} webhook events never arrived")
        time.sleep(0.05)


def measure(config: BenchConfig) -> list[Metric]:
    redis = Redis.from_url(config.redis)
    redis.flushdb()
    logdir = Path(tempfile.mkdtemp(prefix="bench-webhooks-"))
    with (
        fresh_database(config.admin_url, "webhooks") as url,
        raw_connection(url) as connection,
        _receiver() as (receiver_url, arrived),
    ):
        load_users(connection, 1)
        with connection.cursor() as cursor:
            cursor.execute(_ENDPOINT, {"url": receiver_url})
        connection.commit()
        env = service_env(url, config.redis, WEBHOOK_ALLOW_PRIVATE="1")
        workers = [
            child([TASK_ASSIGNER, "worker", "--queue", "webhooks"], env, logdir / f"w{n}.log")
            for n in range(WEBHOOK_WORKERS)
        ]
        with (
            child([TASK_ASSIGNER, "scheduler"], env, logdir / "scheduler.log"),
            child([TASK_ASSIGNER, "worker", "--queue", "sweeps"], env, logdir / "sweeps.log"),
            workers[0],
            workers[1],
        ):
            with step("warming up: the first event through"):
                _wait_for(arrived, _commit_events(connection, 1), 60)
            committed: dict[str, float] = {}
            with step(f"steady: {STEADY_PER_SECOND} events/s for {STEADY_SECONDS} s"):
                for _ in range(STEADY_PER_SECOND * STEADY_SECONDS):
                    for task_id in _commit_events(connection, 1):
                        committed[task_id] = time.time()
                    time.sleep(1 / STEADY_PER_SECOND)
                _wait_for(arrived, list(committed), 60)
            lags = [arrived[task_id] - at for task_id, at in committed.items()]
            with step(f"burst: {BURST_EVENTS} events in one commit"):
                started = time.time()
                burst = _commit_events(connection, BURST_EVENTS)
                _wait_for(arrived, burst, 300)
                rate = BURST_EVENTS / (max(arrived[task_id] for task_id in burst) - started)
    redis.flushdb()
    redis.close()
    say(f"lag p50 {percentile(lags, 0.5):.3f} s, p99 {percentile(lags, 0.99):.3f} s; {rate:.0f}/s")
    return [
        Metric(
            "webhook_lag_p99_s",
            round(percentile(lags, 0.99), 3),
            "s",
            {
                "p50_s": round(percentile(lags, 0.50), 3),
                "max_s": round(max(lags), 3),
                "mean_s": round(statistics.fmean(lags), 3),
                "events": len(lags),
                "rate_per_s": STEADY_PER_SECOND,
            },
        ),
        Metric(
            "webhook_events_per_s",
            round(rate, 1),
            "events/s",
            {"events": BURST_EVENTS, "webhook_workers": WEBHOOK_WORKERS},
        ),
    ]
