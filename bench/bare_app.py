"""The framework's ceiling: a bare Flask app that answers what the service answers, with
nothing of the service in between.

It answers the very documents the service sent for a page of tasks and for one task (the
bench fetches them first and hands them over in files), decoded once and encoded again by
Flask's JSON provider on every request, so its answers have the service's shape and size:
what the service adds beyond Flask and gunicorn — routing through flask-smorest, parsing the
query, authenticating, the SQL, marshmallow — is what a share below 1 measures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Final

from flask import Flask, request

PAGE_FILE: Final = "BENCH_BARE_PAGE"
SMALL_FILE: Final = "BENCH_BARE_SMALL"


def bare_app(page: Any, small: Any) -> Flask:
    app = Flask("bare")
    app.json.sort_keys = False  # type: ignore[attr-defined]  # as the service's app

    @app.get("/healthz")
    def healthz() -> Any:
        return {"status": "ok"}

    @app.get("/page")
    def a_page() -> Any:
        return page

    @app.get("/small")
    def a_small_one() -> Any:
        return small

    @app.post("/post")
    def a_post() -> Any:
        # Parse the body and use it, as a create does, and answer a task-sized document.
        body = request.get_json()
        return {**small, "name": body["name"]}, 201

    return app


def bare_app_from_env() -> Flask:
    def read(variable: str) -> Any:
        return json.loads(Path(os.environ[variable]).read_text())

    return bare_app(read(PAGE_FILE), read(SMALL_FILE))
