"""The RQ job: one container per worker process, the expiry use case, logged outcomes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import SimpleNamespace

import pytest

from application.expiry import SweepReport
from entrypoints import jobs
from unit.fakes import DEFAULT_NOW


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], SweepReport]], list[object]]:
    """Make the job's container serve ``sweep`` as its expiry use case; returns the list of
    containers built, to count them."""

    def install(sweep: Callable[[], SweepReport]) -> list[object]:
        built: list[object] = []

        def build_container() -> object:
            container = SimpleNamespace(expire_overdue=lambda: sweep)
            built.append(container)
            return container

        monkeypatch.setattr(jobs, "_container", None)
        monkeypatch.setattr(jobs, "build_container", build_container)
        return built

    return install


def test_the_container_is_built_once_per_process(builds: Callable[..., list[object]]) -> None:
    built = builds(lambda: SweepReport(DEFAULT_NOW, ()))
    for _ in range(3):
        jobs.expire_overdue_tasks()
    assert len(built) == 1


def test_returns_and_logs_how_many_tasks_failed(
    builds: Callable[..., list[object]], caplog: pytest.LogCaptureFixture
) -> None:
    builds(lambda: SweepReport(DEFAULT_NOW, (DEFAULT_NOW,) * 4))
    with caplog.at_level(logging.INFO, logger=jobs.__name__):
        assert jobs.expire_overdue_tasks() == 4
    assert "failed 4 overdue task(s)" in caplog.text


def test_a_failing_sweep_is_logged_and_reraised_for_rq(
    builds: Callable[..., list[object]], caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> SweepReport:
        raise ConnectionError("database unreachable")

    builds(broken)
    with pytest.raises(ConnectionError), caplog.at_level(logging.ERROR, logger=jobs.__name__):
        jobs.expire_overdue_tasks()
    assert "Expiry sweep failed (ConnectionError: database unreachable)" in caplog.text
    assert "retrying at the next tick" in caplog.text
