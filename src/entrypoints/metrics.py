"""The Prometheus metrics of every process, defined once.

Where each process serves them:

- the API answers ``GET /metrics`` (:mod:`entrypoints.http.metrics`) in prometheus-client's
  multiprocess mode: each gunicorn worker writes its figures into the folder named by
  ``PROMETHEUS_MULTIPROC_DIR`` and the worker answering a scrape adds them all up;
- the RQ worker and the scheduler run elsewhere (other containers, other hosts), so each
  serves its own on ``METRICS_PORT`` (:func:`serve_own_metrics`) and never writes into an
  API's folder, where they would be counted twice.
"""

from __future__ import annotations

import logging
import time
from typing import Final

from prometheus_client import Counter, Gauge, Histogram, start_http_server

from application.expiry import SweepReport
from entrypoints.settings import Settings

log = logging.getLogger(__name__)

#: A sweep fails a task about a second after its deadline; minutes late is an incident.
LAG_BUCKETS: Final = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 60.0, 300.0)

HTTP_REQUESTS: Final = Counter(
    "task_assigner_http_requests",
    "HTTP answers by method, route template and status code.",
    ["method", "route", "status"],
)
HTTP_DURATION: Final = Histogram(
    "task_assigner_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
)
EXPIRY_LAG: Final = Histogram(
    "task_assigner_expiry_lag_seconds",
    "How late each task failed: the sweep's time minus the task's deadline.",
    buckets=LAG_BUCKETS,
)
SWEEP_DURATION: Final = Histogram(
    "task_assigner_expiry_sweep_duration_seconds", "Time one expiry sweep took, failed or not."
)
TASKS_FAILED: Final = Counter(
    "task_assigner_expiry_tasks_failed", "Tasks failed by the expiry sweeps."
)
LAST_SUCCESS: Final = Gauge(
    "task_assigner_expiry_last_success_timestamp_seconds",
    "When an expiry sweep last succeeded (Unix time); alert when it stops moving.",
    multiprocess_mode="max",
)
SCHEDULER_TICKS: Final = Counter(
    "task_assigner_scheduler_ticks",
    "Expiry ticks the scheduler handled: enqueued, or skipped while the last one still waited.",
    ["outcome"],
)


def record_sweep(report: SweepReport, duration_seconds: float) -> None:
    SWEEP_DURATION.observe(duration_seconds)
    for lag in report.lags_seconds:
        EXPIRY_LAG.observe(lag)
    TASKS_FAILED.inc(report.failed)
    LAST_SUCCESS.set(time.time())


def record_failed_sweep(duration_seconds: float) -> None:
    SWEEP_DURATION.observe(duration_seconds)


def serve_own_metrics(settings: Settings) -> None:
    """The worker's or the scheduler's metrics on HOST:METRICS_PORT (none when unset), from a
    thread of this process."""
    if settings.metrics_port is None:
        return
    start_http_server(settings.metrics_port, addr=settings.host)
    log.info("Metrics at http://%s:%d/metrics", settings.host, settings.metrics_port)
