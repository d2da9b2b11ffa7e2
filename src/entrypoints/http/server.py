"""The HTTP API under gunicorn, configured from :class:`Settings` rather than from gunicorn's
own command line."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from entrypoints.http.gunicorn_setup import gunicorn_options as observed
from entrypoints.http.gunicorn_setup import metrics_folder
from entrypoints.settings import Settings


class ApiServer(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """Each worker builds its own app (no preload), so no connection pool is shared across a
    fork."""

    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> object:
        from entrypoints.http.app import create_app

        return create_app()


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return {
        "bind": f"{host}:{settings.port}",
        "workers": settings.web_workers,
        "proc_name": "task-assigner-api",
        # Its answers to requests it cannot parse are JSON, like every other.
        "worker_class": "entrypoints.http.parse_errors.JsonErrorWorker",
        # Not used here, and one fixed path (~/.gunicorn) per user clashes between instances.
        "control_socket_disable": True,
        **observed(),  # logs in LOG_FORMAT, and the metrics of dead workers
    }


def serve_api(settings: Settings) -> None:
    """Serve until gunicorn's arbiter is told to stop."""
    with metrics_folder():
        ApiServer(gunicorn_options(settings)).run()
