"""``python -m bench.serve VARIANT``: a server the bench compares the service with, run by the
service's own gunicorn setup (``entrypoints.http.server``: the same worker class, workers,
logger and access log), so that only the app differs.

- ``bare``: :mod:`bench.bare_app`, the framework's ceiling;
- ``plain``: the service's own app with its ETags and cursors bypassed — no ETag computed,
  no If-None-Match read, no cursor signed — to measure what they cost side by side. The
  version column is still read (it is part of the row); everything else is unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from flask import Flask

from bench.bare_app import bare_app_from_env
from entrypoints.http.gunicorn_setup import metrics_folder
from entrypoints.http.server import ApiServer, gunicorn_options
from entrypoints.settings import Settings


def plain_app() -> Flask:
    from application.cursors import Cursors
    from entrypoints.http.app import create_app
    from entrypoints.http.views import tasks, users

    def no_cursors(self: Cursors, page: Any, scope: str, position: Any) -> Any:
        return page

    def untagged(view: Any) -> Any:
        return view

    Cursors.around = no_cursors  # type: ignore[method-assign]
    tasks.shown = users.shown = untagged
    return create_app()


VARIANTS: dict[str, Callable[[], Flask]] = {"bare": bare_app_from_env, "plain": plain_app}


class BenchServer(ApiServer):
    def __init__(self, options: dict[str, Any], load: Callable[[], Flask]) -> None:
        self._load = load
        super().__init__(options)

    def load(self) -> object:
        return self._load()


def main(variant: str) -> None:
    settings = Settings.from_env()
    with metrics_folder():
        BenchServer(gunicorn_options(settings), VARIANTS[variant]).run()


if __name__ == "__main__":
    main(sys.argv[1])
