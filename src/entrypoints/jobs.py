"""RQ job functions: module-level, importable by name, taking primitives only.

A worker imports this module once and runs every job in its own process (see
:mod:`entrypoints.worker`), so the container — engine, connection pool — is built on the first
job and reused by every later one instead of being rebuilt per job.
"""

from __future__ import annotations

import logging
import time
import uuid
from uuid import UUID

from rq import Queue

from entrypoints import logs, metrics
from entrypoints.container import Container, build_container
from entrypoints.worker import WEBHOOK_QUEUE

#: An attempt waits at most 10 s for its receiver; the rest is the job's own database work.
DELIVERY_TIMEOUT_SECONDS = 30

log = logging.getLogger(__name__)

_container: Container | None = None


def container() -> Container:
    """This process's container, built on first use from the environment."""
    global _container  # one composition root per worker process, by design
    if _container is None:
        _container = build_container()
    return _container


def expire_overdue_tasks() -> int:
    """One expiry sweep: the same use case as ``task-assigner expire-overdue``.

    Every run has an id of its own, on each line it logs. The use case is one transaction, so
    a failing sweep leaves nothing half-written. It is logged and re-raised, which puts the
    run in RQ's failed-job registry for ops to see; the scheduler has already queued the next
    tick, which simply tries again."""
    context = logs.bind(run_id=uuid.uuid4().hex)
    started = time.perf_counter()
    try:
        report = container().expire_overdue()()
    except Exception as error:
        metrics.record_failed_sweep(time.perf_counter() - started)
        log.error(
            "Expiry sweep failed (%s: %s); retrying at the next tick.", type(error).__name__, error
        )
        raise
    else:
        duration = time.perf_counter() - started
        metrics.record_sweep(report, duration)
        fields = {"tasks_failed": report.failed, "sweep_duration_ms": round(duration * 1000, 2)}
        if report.failed:
            log.info("Expiry sweep failed %d overdue task(s).", report.failed, extra=fields)
        else:
            log.debug("Expiry sweep found no overdue task.", extra=fields)
        return report.failed
    finally:
        logs.unbind(context)


def prune_expired_records() -> None:
    """Forget expired refresh tokens, finished logins, stale login attempts and expired
    Idempotency-Keys (hourly)."""
    pruned = container().prune_expired_records()()
    log.info(
        "Pruned %d refresh token(s), %d login(s), %d login attempt key(s), %d idempotency key(s).",
        pruned.refresh_tokens,
        pruned.logins,
        pruned.login_attempts,
        pruned.idempotency_keys,
    )


def remind_deadlines() -> int:
    """One reminder sweep: a ``task.deadline_approaching`` event per task now due one."""
    reminded = container().remind_deadlines()()
    if reminded:
        log.info("Reminded %d task(s) of their deadline.", reminded)
    return reminded


def dispatch_webhooks() -> int:
    """Fan the outbox out into deliveries, and queue the due ones (PostgreSQL leases them, so
    a job lost with Redis is queued again when its lease runs out)."""
    report = container().dispatch_webhooks()()
    if report.due:
        queue = Queue(WEBHOOK_QUEUE, connection=container().redis())
        for delivery_id in report.due:
            queue.enqueue(
                deliver_webhook,
                str(delivery_id),
                job_timeout=DELIVERY_TIMEOUT_SECONDS,
                result_ttl=0,
            )
    return len(report.due)


def deliver_webhook(delivery_id: str) -> str | None:
    """One attempt of one delivery."""
    outcome = container().deliver_webhook()(UUID(delivery_id))
    return None if outcome is None else outcome.value
