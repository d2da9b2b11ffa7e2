"""What gunicorn needs from us besides the app: our logging for its own lines, an access line
with the request's id and route, the metrics folder its workers share, and a worker's loaded
objects kept out of the garbage collector's way."""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

from gunicorn.glogging import Logger

from entrypoints.logs import configure_logging
from entrypoints.settings import MULTIPROC_DIR_VARIABLE, log_format

#: Where the app leaves the route template for the access line (in the WSGI environ).
ROUTE_ENVIRON_KEY: Final = "task_assigner.route"
REQUEST_ID_RESPONSE_HEADER: Final = "x-request-id"


class GunicornLogger(Logger):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's error and access lines go through :mod:`entrypoints.logs`, like every other
    line, in the one LOG_FORMAT. An access line carries the request's id (from the answer's
    header), method, route template, path (never the query string), status and duration."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for own in (self.error_log, self.access_log):
            for handler in list(own.handlers):
                own.removeHandler(handler)
            own.propagate = True
        configure_logging(log_format())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta) -> None:
        if not self.access_log_enabled:
            return
        answer = {name.lower(): value for name, value in resp.headers}
        status = str(resp.status).split(None, 1)[0]
        fields = {
            "request_id": answer.get(REQUEST_ID_RESPONSE_HEADER),
            "method": environ.get("REQUEST_METHOD"),
            "route": environ.get(ROUTE_ENVIRON_KEY),
            "path": environ.get("PATH_INFO"),
            "status": int(status) if status.isdigit() else status,
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "remote_addr": environ.get("REMOTE_ADDR"),
        }
        self.access_log.info(
            "%s %s %s %.2f ms",
            fields["method"],
            fields["route"] or fields["path"],
            fields["status"],
            fields["duration_ms"],
            extra=fields,
        )


def child_exit(server: Any, worker: Any) -> None:
    """A worker is gone: its live gauges must no longer count (its counters still do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def post_worker_init(worker: Any) -> None:
    """The worker has built its app: what exists now (the modules, schemas, compiled
    statements: about 130,000 objects) lives as long as the worker, so the cyclic garbage
    collector stops looking at it. Its full passes walked all of it, for nothing: about
    0.04 ms a request of a page of tasks, 0.006 ms with these objects frozen."""
    gc.freeze()


def gunicorn_options() -> dict[str, Any]:
    return {
        "logger_class": GunicornLogger,
        "child_exit": child_exit,
        "post_worker_init": post_worker_init,
        "accesslog": "-",
    }


@contextmanager
def metrics_folder(environ: MutableMapping[str, str] = os.environ) -> Iterator[Path]:
    """The folder where this server's workers write their metrics, set in ``environ`` before
    prometheus-client is imported anywhere (it reads it once, at import).

    PROMETHEUS_MULTIPROC_DIR when set, emptied of an earlier run's files (one folder per
    server: figures of processes that are gone would be added to ours); else a temporary
    folder of this server's own, removed when it stops."""
    configured = environ.get(MULTIPROC_DIR_VARIABLE)
    if configured:
        folder = Path(configured)
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob("*.db"):
            stale.unlink(missing_ok=True)
        yield folder
        return
    folder = Path(tempfile.mkdtemp(prefix="task-assigner-metrics-"))
    environ[MULTIPROC_DIR_VARIABLE] = str(folder)
    owner = os.getpid()
    try:
        yield folder
    finally:
        # gunicorn's workers are forks that leave through here too: only the master cleans.
        if os.getpid() == owner:
            shutil.rmtree(folder, ignore_errors=True)
