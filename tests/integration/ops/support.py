"""Helpers of the ops tests: real `task-assigner` processes and what to wait for."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from redis import Redis

from application.paging import PageRequest
from application.policy import Actor
from application.read_models import TaskFilter
from domain.status import TaskStatus
from entrypoints.container import Container
from entrypoints.devrun.processes import stop
from entrypoints.scheduler import EXPIRY_JOB_ID

#: The console script installed next to this interpreter: what ops run.
TASK_ASSIGNER = str(Path(sys.executable).with_name("task-assigner"))
SECRET = "integration-test-secret-of-at-least-32-bytes"
SCHEDULED_JOBS_KEY = "rq:scheduler:scheduled_jobs"


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)


@dataclass
class Service:
    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 10) -> int:
        stop([self.process], grace=timeout, signum=signum)
        return self.process.returncode


Start = Callable[..., Service]


def create_due_tasks(
    container: Container, actor: Actor, deadlines_in: list[float]
) -> dict[UUID, datetime]:
    """Tasks due the given numbers of seconds from now; their deadlines by id."""
    now = datetime.now(UTC)
    create = container.create_task()
    due = {}
    for i, seconds in enumerate(deadlines_in):
        deadline = now + timedelta(seconds=seconds)
        due[create(actor, name=f"due in {seconds:.2f} s #{i}", deadline=deadline).external_id] = (
            deadline
        )
    return due


def failed_ids(container: Container) -> set[UUID]:
    page = container.list_tasks()(TaskFilter(status=TaskStatus.FAILED), page=PageRequest(limit=100))
    assert page.count <= 100, "more failed tasks than one page: raise the limit"
    return {task.external_id for task in page.items}


def expiry_job_is_scheduled(redis: Redis[bytes]) -> bool:
    return redis.zscore(SCHEDULED_JOBS_KEY, EXPIRY_JOB_ID) is not None


def worker_is_listening(redis: Redis[bytes]) -> bool:
    from rq import Worker

    return bool(Worker.all(connection=redis))


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` now, whatever session or group it moved to."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
