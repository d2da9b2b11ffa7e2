"""The RQ job: one container per worker process, the expiry use case, logged and measured
outcomes."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

import pytest
from prometheus_client import REGISTRY

from application.expiry import SweepReport
from entrypoints import jobs
from unit.fakes import DEFAULT_NOW

Sweep = Callable[[], SweepReport]


def report(*lags: float) -> SweepReport:
    """A sweep at DEFAULT_NOW that failed one task per lag, that many seconds late."""
    deadlines = tuple(DEFAULT_NOW - timedelta(seconds=lag) for lag in lags)
    return SweepReport(at=DEFAULT_NOW, deadlines=deadlines)


def sample(name: str) -> float:
    return REGISTRY.get_sample_value(name) or 0.0


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Callable[[Sweep], list[object]]:
    """Make the job's container serve ``sweep`` as its expiry use case; returns the list of
    containers built, to count them."""

    def install(sweep: Sweep) -> list[object]:
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
    built = builds(lambda: report())
    for _ in range(3):
        jobs.expire_overdue_tasks()
    assert len(built) == 1


def test_returns_and_logs_how_many_tasks_failed(
    builds: Callable[..., list[object]], caplog: pytest.LogCaptureFixture
) -> None:
    builds(lambda: report(1, 2, 3, 4))
    with caplog.at_level(logging.INFO, logger=jobs.__name__):
        assert jobs.expire_overdue_tasks() == 4
    assert "failed 4 overdue task(s)" in caplog.text


def test_each_run_logs_its_own_run_id_and_what_it_did(
    builds: Callable[..., list[object]], json_log: io.StringIO
) -> None:
    builds(lambda: report(0.5))
    jobs.expire_overdue_tasks()
    jobs.expire_overdue_tasks()
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    sweeps = [line for line in lines if line["logger"] == jobs.__name__]
    assert [line["tasks_failed"] for line in sweeps] == [1, 1]
    assert all(line["sweep_duration_ms"] >= 0 for line in sweeps)
    run_ids = {line["run_id"] for line in sweeps}
    assert len(run_ids) == 2
    assert all(len(run_id) == 32 for run_id in run_ids)


def test_a_sweep_is_measured_lag_by_lag(builds: Callable[..., list[object]]) -> None:
    before = {
        name: sample(name)
        for name in (
            "task_assigner_expiry_lag_seconds_count",
            "task_assigner_expiry_lag_seconds_sum",
            "task_assigner_expiry_tasks_failed_total",
            "task_assigner_expiry_sweep_duration_seconds_count",
        )
    }
    builds(lambda: report(0.5, 1.5))

    jobs.expire_overdue_tasks()

    assert sample("task_assigner_expiry_lag_seconds_count") == pytest.approx(
        before["task_assigner_expiry_lag_seconds_count"] + 2
    )
    assert sample("task_assigner_expiry_lag_seconds_sum") == pytest.approx(
        before["task_assigner_expiry_lag_seconds_sum"] + 2.0
    )
    assert sample("task_assigner_expiry_tasks_failed_total") == pytest.approx(
        before["task_assigner_expiry_tasks_failed_total"] + 2
    )
    assert sample("task_assigner_expiry_sweep_duration_seconds_count") == pytest.approx(
        before["task_assigner_expiry_sweep_duration_seconds_count"] + 1
    )
    assert sample("task_assigner_expiry_last_success_timestamp_seconds") > 0


def test_a_failing_sweep_is_logged_and_reraised_for_rq(
    builds: Callable[..., list[object]], caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> SweepReport:
        raise ConnectionError("database unreachable")

    builds(broken)
    success_before = sample("task_assigner_expiry_last_success_timestamp_seconds")
    with pytest.raises(ConnectionError), caplog.at_level(logging.ERROR, logger=jobs.__name__):
        jobs.expire_overdue_tasks()
    assert "Expiry sweep failed (ConnectionError: database unreachable)" in caplog.text
    assert "retrying at the next tick" in caplog.text
    assert sample("task_assigner_expiry_last_success_timestamp_seconds") == success_before
