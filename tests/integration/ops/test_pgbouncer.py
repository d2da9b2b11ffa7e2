"""The service behind PgBouncer in transaction mode: any transaction may run on any server
connection, so nothing may rely on session state (an advisory lock held across transactions,
a ``SET``, a server-side prepared statement), nor on the session's time zone."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import psycopg2
from redis import Redis
from sqlalchemy import Engine, literal, select, text

from adapters.sqlalchemy.engine import make_engine
from adapters.sqlalchemy.prepared import prepared
from domain.status import TaskStatus
from entrypoints.container import build_container
from entrypoints.devrun.processes import free_port
from entrypoints.settings import Settings
from integration.ops.fates import p99, settle
from integration.ops.load import Load, serve, sign_up
from integration.ops.pgbouncer import pgbouncer
from integration.ops.support import (
    SECRET,
    Start,
    expiry_job_is_scheduled,
    wait_until,
    worker_is_listening,
)

PROMISED_LAG_SECONDS = 2.0
LOAD_SECONDS = 6.0
#: Fewer server connections than the API's workers, the worker and the scheduler hold as
#: clients: only transaction pooling lets them all work.
POOL_SIZE = 2
#: Far from UTC (+13:45), so that a timestamp read in the session's zone would show.
SERVER_TIMEZONE = "Pacific/Chatham"


def test_api_worker_and_scheduler_work_through_pgbouncer_in_transaction_mode(
    start: Start,
    redis: Redis[bytes],
    engine: Engine,
    database_url: str,
    redis_url: str,
    ops_env: dict[str, str],
) -> None:
    with pgbouncer(database_url, pool_size=POOL_SIZE, server_timezone=SERVER_TIMEZONE) as bouncer:
        through = {**ops_env, "DATABASE_URL": bouncer.url}
        start("worker", env=through)
        start("scheduler", env=through)
        api = serve(start, through, free_port())
        wait_until(lambda: expiry_job_is_scheduled(redis), 20, "the scheduler to register")
        wait_until(lambda: worker_is_listening(redis), 20, "the worker to listen")
        load = Load(apis=[api.url], people=[sign_up(api.url, n) for n in range(3)])

        load.begin()
        time.sleep(LOAD_SECONDS)
        load.finish()
        fates = settle(engine, load)
        pooled = _server_timezone(bouncer.url)
        read_back = _a_task_read_through(bouncer.url, redis_url, next(iter(load.deadlines)))

    assert pooled == SERVER_TIMEZONE  # so the UTC below is ours, not the session's
    assert read_back.utcoffset() == timedelta(0)
    assert abs(datetime.now(UTC) - read_back) < timedelta(minutes=1)
    assert load.errors == []
    assert fates.keys() == load.deadlines.keys()
    for task_id, fate in fates.items():
        done = task_id in load.completed
        expected = (TaskStatus.COMPLETED.value, 0) if done else (TaskStatus.FAILED.value, 1)
        assert (fate.status, fate.expired_events) == expected, task_id
    lags = [fate.lag_seconds for fate in fates.values() if fate.expired_at is not None]
    assert len(lags) >= 20
    assert min(lags) >= 0
    assert p99(lags) <= PROMISED_LAG_SECONDS, sorted(lags)[-10:]
    print(f"\n{len(fates)} tasks through PgBouncer, {len(lags)} expired; lag p99 {p99(lags):.2f} s")


def test_nothing_is_prepared_on_the_server_through_pgbouncer(database_url: str) -> None:
    with pgbouncer(database_url, pool_size=POOL_SIZE, server_timezone=SERVER_TIMEZONE) as bouncer:
        engine = make_engine(bouncer.url)
        try:
            # One transaction runs on one server session: what it prepared would be there.
            with engine.connect() as connection:
                answer = connection.execute(prepared(select(literal(7)))).scalar_one()
                there = connection.execute(text("SELECT count(*) FROM pg_prepared_statements"))
                prepared_there = there.scalar_one()
        finally:
            engine.dispose()
    assert (answer, prepared_there) == (7, 0)


def _server_timezone(url: str) -> str:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW timezone")
            row = cursor.fetchone()
    finally:
        connection.close()
    assert row is not None
    return str(row[0])


def _a_task_read_through(url: str, redis_url: str, task_id: str) -> datetime:
    """The task's creation time as the application reads it through PgBouncer."""
    settings = Settings(database_url=url, redis_url=redis_url, jwt_secret=SECRET)
    container = build_container(settings)
    try:
        return container.get_task()(UUID(task_id)).created_at
    finally:
        container.engine().dispose()
