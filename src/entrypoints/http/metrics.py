"""``GET /metrics``: what every gunicorn worker counted, and the state of the system now.

No token: Prometheus scrapes without one. Keep the path off the public network (README,
"Metrics"). Counters and histograms come from prometheus-client's multiprocess folder when
``PROMETHEUS_MULTIPROC_DIR`` is set (every worker's figures, added up), else from this
process. Task counts and the queue's depth are read at scrape time — one grouped statement
over the tallies, one LLEN — so they are never stale and cost nothing between scrapes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from typing import Any, Final

from flask import Flask, Response
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.multiprocess import MultiProcessCollector
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from adapters.sqlalchemy.read.counting import tasks_by_status
from entrypoints.container import Container
from entrypoints.settings import MULTIPROC_DIR_VARIABLE
from entrypoints.worker import QUEUE_NAME

log = logging.getLogger(__name__)

METRICS_PATH: Final = "/metrics"


class StateCollector:
    """Gauges computed when scraped. A part that does not answer is left out of the answer
    (and logged) rather than failing the whole scrape."""

    def __init__(self, engine: Callable[[], Engine], redis: Callable[[], Redis[Any]]) -> None:
        self._engine = engine
        self._redis = redis

    def collect(self) -> Iterator[Metric]:
        tasks = GaugeMetricFamily("task_assigner_tasks", "Live tasks by status.", labels=["status"])
        try:
            with self._engine().connect() as connection:
                counts = tasks_by_status(connection)
        except SQLAlchemyError as error:
            log.warning("metrics: no task counts, the database failed: %s", type(error).__name__)
        else:
            for status, count in counts.items():
                tasks.add_metric([status.value], count)
            yield tasks
        depth = GaugeMetricFamily(
            "task_assigner_queue_depth", "Jobs waiting in the RQ queue.", labels=["queue"]
        )
        try:
            waiting = Queue(QUEUE_NAME, connection=self._redis()).count
        except (RedisError, OSError) as error:
            log.warning("metrics: no queue depth, Redis failed: %s", type(error).__name__)
        else:
            depth.add_metric([QUEUE_NAME], waiting)
            yield depth


def serve_metrics(app: Flask, container: Container) -> None:
    state = CollectorRegistry(auto_describe=False)
    state.register(StateCollector(container.engine, container.redis))

    def metrics() -> Response:
        body = generate_latest(_counted()) + generate_latest(state)
        # The text format every Prometheus version reads.
        return Response(body, content_type=CONTENT_TYPE_PLAIN_0_0_4)

    app.add_url_rule(METRICS_PATH, endpoint="metrics", view_func=metrics)


def _counted() -> CollectorRegistry:
    if not os.environ.get(MULTIPROC_DIR_VARIABLE):
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry
