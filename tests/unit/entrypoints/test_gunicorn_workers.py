"""A gunicorn worker freezes what it loaded, so the garbage collector stops walking it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from entrypoints.http.gunicorn_setup import post_worker_init
from entrypoints.http.server import gunicorn_options
from entrypoints.settings import Settings


@pytest.fixture
def thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("thawed")
def test_a_worker_that_has_built_its_app_freezes_every_object_it_holds() -> None:
    assert gc.get_freeze_count() == 0
    post_worker_init(worker=None)
    assert gc.get_freeze_count() > 10_000  # the modules and the app's objects, all of them
    assert len(gc.get_objects()) < 1_000  # left for the collector to walk: what came since


def test_the_api_server_runs_the_freeze_in_each_worker() -> None:
    settings = Settings.from_env(
        {"DATABASE_URL": "postgresql://nowhere/db", "REDIS_URL": "redis://nowhere:6379/0"}
    )
    assert gunicorn_options(settings)["post_worker_init"] is post_worker_init
