"""Rates measured in interleaved rounds, so that figures compared with each other (a rate and
its ceiling, a feature and its bypass) meet the same machine.

The machine is shared: other work comes and goes while a run lasts. Measuring A then B lets
a change in that load land on one of them only; A B … then … B A, with the median of each,
spreads it over both. The CPU each request cost the servers (and PostgreSQL) is kept beside
every rate: it moves far less with the neighbours than the rate does."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from bench.cpu import backends_of, children_of, cpu_seconds, spent
from bench.http_client import warm_up
from bench.load_test import LoadResult, Request, run_wrk
from bench.processes import RunningApi
from bench.progress import say


@dataclass(frozen=True, slots=True)
class Target:
    """One figure: ``request`` sent to ``server``."""

    name: str
    server: RunningApi
    request: Request
    token: str | None = None
    #: The database the server reads (its backends' CPU is counted), if any.
    database_url: str | None = None
    #: A request file per round (writes that can happen once): replaces ``request.sequence``.
    sequences: tuple[Any, ...] = ()


@dataclass(slots=True)
class Measured:
    runs: list[LoadResult] = field(default_factory=list)
    cpu_ms: list[dict[str, float]] = field(default_factory=list)

    @property
    def rps(self) -> float:
        return round(statistics.median(run.rps for run in self.runs), 1)

    def details(self) -> dict[str, Any]:
        def median(values: list[float]) -> float:
            return round(statistics.median(values), 2)

        last = self.runs[-1]
        return {
            "path": last.path,
            "rps_runs": [run.rps for run in self.runs],
            "p50_ms": median([run.p50_ms for run in self.runs]),
            "p99_ms": median([run.p99_ms for run in self.runs]),
            "requests": sum(run.requests for run in self.runs),
            "errors": sum(run.errors for run in self.runs),
            "non_2xx": sum(run.non_2xx for run in self.runs),
            "cpu_ms_per_request": {
                part: median([cpu[part] for cpu in self.cpu_ms]) for part in self.cpu_ms[0]
            },
        }


def _once(target: Target, round_index: int, seconds: int) -> tuple[LoadResult, dict[str, float]]:
    request = target.request
    if target.sequences:
        request = Request(request.path, request.method, request.body, target.sequences[round_index])
    workers = children_of(target.server.pid)
    backends = set() if target.database_url is None else backends_of(target.database_url)
    before = cpu_seconds(workers), cpu_seconds(backends)
    result = run_wrk(target.server.url, request, target.token, seconds)
    if target.database_url is not None:
        backends |= backends_of(target.database_url)
    after = cpu_seconds(workers), cpu_seconds(backends)
    count = max(result.requests, 1)
    cpu = {"server": round(spent(before[0], after[0]) * 1000 / count, 2)}
    if target.database_url is not None:
        cpu["postgresql"] = round(spent(before[1], after[1]) * 1000 / count, 2)
    return result, cpu


def measure(targets: list[Target], rounds: int, seconds: int) -> dict[str, Measured]:
    """Every target once per round, the order reversed every other round; medians."""
    for target in targets:
        if target.request.method == "GET":
            warm_up(target.server.url, target.request.path, target.token)
    measured = {target.name: Measured() for target in targets}
    for index in range(rounds):
        say(f"round {index + 1}/{rounds}")
        for target in targets if index % 2 == 0 else targets[::-1]:
            result, cpu = _once(target, index, seconds)
            measured[target.name].runs.append(result)
            measured[target.name].cpu_ms.append(cpu)
    return measured


def share(rate: float, ceiling: float) -> float:
    return round(rate / ceiling, 3) if ceiling else 0.0
